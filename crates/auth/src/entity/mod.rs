//! Auth's tables. `users` and `password_reset_tokens` keep the monolith's shape.

pub mod password_reset;
pub mod refresh_token;
pub mod signing_key;
pub mod user;
