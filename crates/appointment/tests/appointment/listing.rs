//! Listing appointments: scoped to the caller, filters checked.

use chrono::Duration;

use crate::support::clinic::Clinic;

kit::per_backend! {
    async fn admins_list_all_and_patients_and_doctors_their_own(backend: Backend) {
        let c = Clinic::open(backend).await;
        for slot in [c.s1, c.s2, c.s3] {
            c.booked(&c.a, slot).await;
        }
        let next_week = c.day + Duration::days(7);
        for slot in [c.s1, c.s2] {
            c.booked_on(&c.b, slot, next_week).await;
        }
        assert_eq!(c.list(Some(&c.admin), "").await.body["total"], 5);
        assert_eq!(c.list(Some(&c.a), "").await.body["total"], 3);
        assert_eq!(c.list(Some(&c.b), "").await.body["total"], 2);
        assert_eq!(c.list(Some(&c.other_doc), "").await.body["total"], 0);
        c.close().await;
    }

    async fn an_unknown_status_filter_is_refused_and_callers_must_sign_in(backend: Backend) {
        let c = Clinic::open(backend).await;
        assert_eq!(c.list(Some(&c.admin), "status=bogus").await.status, 422);
        assert_eq!(c.list(None, "").await.status, 401);
        c.close().await;
    }
}
