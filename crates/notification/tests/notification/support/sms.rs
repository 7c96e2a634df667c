//! An SMS provider on loopback that records what it is asked to send.

use std::sync::{Arc, Mutex};

use axum::{Json, Router, routing::post};
use serde_json::{Value, json};

pub struct SmsProvider {
    pub url: String,
    pub received: Arc<Mutex<Vec<Value>>>,
}

impl SmsProvider {
    pub async fn start() -> Self {
        let received: Arc<Mutex<Vec<Value>>> = Arc::default();
        let store = received.clone();
        let app = Router::new().route(
            "/sms",
            post(move |Json(body): Json<Value>| {
                let store = store.clone();
                async move {
                    let n = {
                        let mut all = store.lock().unwrap();
                        all.push(body);
                        all.len()
                    };
                    Json(json!({"message_id": format!("sms-{n}"), "status": "accepted"}))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, received }
    }

    /// The texts received so far.
    pub fn texts(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }
}
