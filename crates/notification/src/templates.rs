//! Message templates per event and locale: built in, and editable by admins
//! (a stored version wins). Rendered with minijinja — Jinja syntax admins
//! may know, no code execution, auto-escaping off because the output is a
//! plain-text mail, an SMS or an in-app line (the HTML part escapes itself).

use minijinja::Environment;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde::Serialize;

use crate::entity::template;

/// (key, locale, subject, body).
pub const BUILT_IN: &[(&str, &str, &str, &str)] = &[
    (
        "welcome",
        "en",
        "Welcome to QuickCare",
        "Hello {{ name }},\n\nyour QuickCare account is ready. Find a doctor and book in a few clicks.",
    ),
    (
        "welcome",
        "fr",
        "Bienvenue sur QuickCare",
        "Bonjour {{ name }},\n\nvotre compte QuickCare est prêt. Trouvez un médecin et réservez en quelques clics.",
    ),
    (
        "appointment_booked",
        "en",
        "Appointment requested with {{ doctor }}",
        "Hello {{ name }},\n\nyour appointment with {{ doctor }} on {{ when }} is requested; the doctor will confirm it.",
    ),
    (
        "appointment_booked",
        "fr",
        "Rendez-vous demandé avec {{ doctor }}",
        "Bonjour {{ name }},\n\nvotre rendez-vous avec {{ doctor }} le {{ when }} est demandé ; le médecin va le confirmer.",
    ),
    (
        "appointment_approved",
        "en",
        "Appointment confirmed with {{ doctor }}",
        "Hello {{ name }},\n\nyour appointment with {{ doctor }} on {{ when }} is confirmed.",
    ),
    (
        "appointment_approved",
        "fr",
        "Rendez-vous confirmé avec {{ doctor }}",
        "Bonjour {{ name }},\n\nvotre rendez-vous avec {{ doctor }} le {{ when }} est confirmé.",
    ),
    (
        "appointment_cancelled",
        "en",
        "Appointment cancelled",
        "Hello {{ name }},\n\nyour appointment with {{ doctor }} on {{ when }} is cancelled.",
    ),
    (
        "appointment_cancelled",
        "fr",
        "Rendez-vous annulé",
        "Bonjour {{ name }},\n\nvotre rendez-vous avec {{ doctor }} le {{ when }} est annulé.",
    ),
    (
        "appointment_rescheduled",
        "en",
        "Appointment moved",
        "Hello {{ name }},\n\nyour appointment with {{ doctor }} is now on {{ when }}.",
    ),
    (
        "appointment_rescheduled",
        "fr",
        "Rendez-vous déplacé",
        "Bonjour {{ name }},\n\nvotre rendez-vous avec {{ doctor }} est désormais le {{ when }}.",
    ),
    (
        "appointment_expired",
        "en",
        "Appointment request expired",
        "Hello {{ name }},\n\nyour request for {{ when }} with {{ doctor }} was not confirmed in time. Please book another slot.",
    ),
    (
        "appointment_expired",
        "fr",
        "Demande de rendez-vous expirée",
        "Bonjour {{ name }},\n\nvotre demande pour le {{ when }} avec {{ doctor }} n'a pas été confirmée à temps. Merci de choisir un autre créneau.",
    ),
    (
        "appointment_reminder",
        "en",
        "Reminder: {{ doctor }} on {{ when }}",
        "Hello {{ name }},\n\na reminder of your appointment with {{ doctor }} on {{ when }}.",
    ),
    (
        "appointment_reminder",
        "fr",
        "Rappel : {{ doctor }} le {{ when }}",
        "Bonjour {{ name }},\n\nnous vous rappelons votre rendez-vous avec {{ doctor }} le {{ when }}.",
    ),
    (
        "appointment_completed",
        "en",
        "Thank you for your visit",
        "Hello {{ name }},\n\nthank you for your visit to {{ doctor }} on {{ when }}. You can now rate it.",
    ),
    (
        "appointment_completed",
        "fr",
        "Merci pour votre visite",
        "Bonjour {{ name }},\n\nmerci pour votre visite chez {{ doctor }} le {{ when }}. Vous pouvez maintenant la noter.",
    ),
    (
        "doctor_booked",
        "en",
        "New appointment request",
        "Hello {{ name }},\n\n{{ patient }} asks for an appointment on {{ when }}.",
    ),
    (
        "doctor_booked",
        "fr",
        "Nouvelle demande de rendez-vous",
        "Bonjour {{ name }},\n\n{{ patient }} demande un rendez-vous le {{ when }}.",
    ),
    ("admin_message", "en", "{{ title }}", "{{ message }}"),
    ("admin_message", "fr", "{{ title }}", "{{ message }}"),
    // Mail only, whatever the preferences (see `notify::Allowed`).
    (
        "password_reset",
        "en",
        "Reset your QuickCare password",
        "Hello {{ name }},\n\nsomeone asked to reset your QuickCare password. If it was you, open this link within {{ minutes }} minutes (until {{ expires }}):\n\n{{ link }}\n\nIf not, ignore this mail: your password stays as it is.",
    ),
    (
        "password_reset",
        "fr",
        "Réinitialisez votre mot de passe QuickCare",
        "Bonjour {{ name }},\n\nquelqu'un a demandé à réinitialiser votre mot de passe QuickCare. Si c'est vous, ouvrez ce lien dans les {{ minutes }} minutes (jusqu'au {{ expires }}) :\n\n{{ link }}\n\nSinon, ignorez ce message : votre mot de passe reste le même.",
    ),
    // To doctor applicants (no account: mail only).
    (
        "application_received",
        "en",
        "We received your QuickCare application",
        "Hello {{ name }},\n\nthank you for applying to practise on QuickCare (application no. {{ application_id }}). An administrator will review your application and write to you.",
    ),
    (
        "application_received",
        "fr",
        "Nous avons reçu votre candidature QuickCare",
        "Bonjour {{ name }},\n\nmerci de votre candidature pour exercer sur QuickCare (candidature n° {{ application_id }}). Un administrateur va l'examiner et vous écrira.",
    ),
    // `token` also on a line of its own, for someone who cannot follow links.
    (
        "application_approved",
        "en",
        "Your QuickCare application is approved",
        "Hello {{ name }},\n\nyour application to QuickCare is approved. Create your doctor account within {{ hours }} hours (until {{ expires }}) with this link:\n\n{{ link }}\n\nYour registration token: {{ token }}",
    ),
    (
        "application_approved",
        "fr",
        "Votre candidature QuickCare est acceptée",
        "Bonjour {{ name }},\n\nvotre candidature sur QuickCare est acceptée. Créez votre compte de médecin dans les {{ hours }} heures (jusqu'au {{ expires }}) avec ce lien :\n\n{{ link }}\n\nVotre jeton d'inscription : {{ token }}",
    ),
    (
        "application_rejected",
        "en",
        "Your QuickCare application",
        "Hello {{ name }},\n\nthank you for your interest in QuickCare. We cannot accept your application at this time.\n\nReason: {{ reason }}",
    ),
    (
        "application_rejected",
        "fr",
        "Votre candidature QuickCare",
        "Bonjour {{ name }},\n\nmerci de l'intérêt que vous portez à QuickCare. Nous ne pouvons pas accepter votre candidature pour le moment.\n\nMotif : {{ reason }}",
    ),
    // To every admin (in the app and by mail, as their preferences allow).
    (
        "application_submitted_admin",
        "en",
        "New doctor application",
        "Hello {{ name }},\n\na new doctor application (no. {{ application_id }}) from {{ applicant }} <{{ applicant_email }}> is waiting for review.",
    ),
    (
        "application_submitted_admin",
        "fr",
        "Nouvelle candidature de médecin",
        "Bonjour {{ name }},\n\nune nouvelle candidature de médecin (n° {{ application_id }}) de {{ applicant }} <{{ applicant_email }}> attend votre examen.",
    ),
    // Arabic (right-to-left readers; the text carries its own direction).
    (
        "welcome",
        "ar",
        "مرحبًا بك في QuickCare",
        "مرحبًا {{ name }}،\n\nحسابك في QuickCare جاهز. ابحث عن طبيب واحجز موعدك بنقرات قليلة.",
    ),
    (
        "appointment_booked",
        "ar",
        "طلب موعد مع {{ doctor }}",
        "مرحبًا {{ name }}،\n\nتم طلب موعدك مع {{ doctor }} يوم {{ when }}؛ وسيؤكده الطبيب.",
    ),
    (
        "appointment_approved",
        "ar",
        "تأكيد الموعد مع {{ doctor }}",
        "مرحبًا {{ name }}،\n\nتم تأكيد موعدك مع {{ doctor }} يوم {{ when }}.",
    ),
    (
        "appointment_cancelled",
        "ar",
        "إلغاء الموعد",
        "مرحبًا {{ name }}،\n\nتم إلغاء موعدك مع {{ doctor }} يوم {{ when }}.",
    ),
    (
        "appointment_rescheduled",
        "ar",
        "تغيير موعد",
        "مرحبًا {{ name }}،\n\nأصبح موعدك مع {{ doctor }} يوم {{ when }}.",
    ),
    (
        "appointment_expired",
        "ar",
        "انتهت صلاحية طلب الموعد",
        "مرحبًا {{ name }}،\n\nلم يتم تأكيد طلبك ليوم {{ when }} مع {{ doctor }} في الوقت المناسب. يرجى حجز موعد آخر.",
    ),
    (
        "appointment_reminder",
        "ar",
        "تذكير: {{ doctor }} يوم {{ when }}",
        "مرحبًا {{ name }}،\n\nنذكّرك بموعدك مع {{ doctor }} يوم {{ when }}.",
    ),
    (
        "appointment_completed",
        "ar",
        "شكرًا على زيارتك",
        "مرحبًا {{ name }}،\n\nشكرًا على زيارتك لـ {{ doctor }} يوم {{ when }}. يمكنك الآن تقييمها.",
    ),
    ("doctor_booked", "ar", "طلب موعد جديد", "مرحبًا {{ name }}،\n\nيطلب {{ patient }} موعدًا يوم {{ when }}."),
    ("admin_message", "ar", "{{ title }}", "{{ message }}"),
    (
        "password_reset",
        "ar",
        "إعادة تعيين كلمة مرور QuickCare",
        "مرحبًا {{ name }}،\n\nطلب شخص ما إعادة تعيين كلمة مرورك في QuickCare. إذا كنت أنت، افتح هذا الرابط خلال {{ minutes }} دقيقة (حتى {{ expires }}):\n\n{{ link }}\n\nوإلا فتجاهل هذه الرسالة: كلمة مرورك تبقى كما هي.",
    ),
    (
        "application_received",
        "ar",
        "تلقينا طلبك للانضمام إلى QuickCare",
        "مرحبًا {{ name }}،\n\nشكرًا على طلبك للممارسة على QuickCare (الطلب رقم {{ application_id }}). سيراجع أحد المسؤولين طلبك ويراسلك.",
    ),
    (
        "application_approved",
        "ar",
        "تمت الموافقة على طلبك في QuickCare",
        "مرحبًا {{ name }}،\n\nتمت الموافقة على طلبك في QuickCare. أنشئ حساب الطبيب خلال {{ hours }} ساعة (حتى {{ expires }}) بهذا الرابط:\n\n{{ link }}\n\nرمز التسجيل الخاص بك: {{ token }}",
    ),
    (
        "application_rejected",
        "ar",
        "طلبك في QuickCare",
        "مرحبًا {{ name }}،\n\nشكرًا على اهتمامك بـ QuickCare. لا يمكننا قبول طلبك في الوقت الحالي.\n\nالسبب: {{ reason }}",
    ),
    (
        "application_submitted_admin",
        "ar",
        "طلب جديد من طبيب",
        "مرحبًا {{ name }}،\n\nطلب جديد من طبيب (رقم {{ application_id }}) من {{ applicant }} <{{ applicant_email }}> في انتظار المراجعة.",
    ),
];

pub fn built_in(key: &str, locale: &str) -> Option<(&'static str, &'static str)> {
    BUILT_IN.iter().find(|t| t.0 == key && t.1 == locale).map(|t| (t.2, t.3))
}

/// A subject and a body, rendered.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("no template {0} for {1}")]
    Missing(String, String),
    #[error("template {0}: {1}")]
    Render(String, minijinja::Error),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// How much work one render may do (minijinja instructions): the built-in
/// templates take a few hundred; an admin's loop over `range(100000)` twice
/// nested would otherwise hold a sender for minutes.
const FUEL: u64 = 100_000;

/// The most text one render may produce: a mail body, an SMS or an in-app
/// line is far shorter.
pub const MAX_OUTPUT: usize = 64 * 1024;

/// An environment with the limits on; every render goes through one.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env
}

/// A writer that fails once more than [`MAX_OUTPUT`] bytes were written,
/// so an oversized render stops there instead of filling memory.
struct Bounded(Vec<u8>);

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_OUTPUT {
            return Err(std::io::Error::other("output too large"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn bounded_render(source: &str, vars: minijinja::Value) -> Result<String, minijinja::Error> {
    let env = environment();
    let mut out = Bounded(Vec::new());
    env.template_from_str(source)?.render_captured_to(vars, &mut out)?;
    // minijinja writes whole `str` pieces, so the bytes are UTF-8.
    Ok(String::from_utf8_lossy(&out.0).into_owned())
}

/// Checks an admin's template before it is stored: it must parse, and a
/// trial render (no variables) must stay within the limits. Other trial
/// errors are the variables' absence, not the template's fault.
pub fn check(source: &str) -> Result<(), String> {
    Environment::new().template_from_str(source).map_err(|e| format!("does not parse: {e}"))?;
    match bounded_render(source, minijinja::Value::UNDEFINED) {
        Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => {
            Err("does too much work to render (loops too long)".into())
        }
        Err(e) if e.kind() == minijinja::ErrorKind::WriteFailure => {
            Err(format!("renders more than {} KiB", MAX_OUTPUT / 1024))
        }
        _ => Ok(()),
    }
}

/// Renders an unsaved `source` with `vars`, within the send-time limits
/// (the admin's preview).
pub fn render_source(source: &str, vars: &impl Serialize) -> Result<String, minijinja::Error> {
    bounded_render(source, minijinja::Value::from(minijinja::value::Serde(vars)))
}

fn render_str(key: &str, source: &str, vars: &impl Serialize) -> Result<String, TemplateError> {
    bounded_render(source, minijinja::Value::from(minijinja::value::Serde(vars)))
        .map_err(|e| TemplateError::Render(key.to_owned(), e))
}

/// Renders `key` for `locale` (the stored version if an admin wrote one).
pub async fn render<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    locale: &str,
    vars: &impl Serialize,
) -> Result<Rendered, TemplateError> {
    let stored = template::Entity::find_by_id((key.to_owned(), locale.to_owned())).one(conn).await?;
    let (subject, body) = match &stored {
        Some(t) => (t.subject.as_str(), t.body.as_str()),
        None => built_in(key, locale).ok_or_else(|| TemplateError::Missing(key.into(), locale.into()))?,
    };
    Ok(Rendered { subject: render_str(key, subject, vars)?, body: render_str(key, body, vars)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_locale_and_parses() {
        for key in BUILT_IN.iter().map(|t| t.0) {
            for locale in crate::clock::LOCALES {
                let (subject, body) =
                    built_in(key, locale).unwrap_or_else(|| panic!("{key}/{locale} missing"));
                check(subject).unwrap();
                check(body).unwrap();
            }
        }
        // No locale has a key the others lack.
        for (key, locale, _, _) in BUILT_IN {
            assert!(crate::clock::LOCALES.contains(locale), "{key}: unknown locale {locale}");
        }
        let vars = serde_json::json!({"name": "Amina", "doctor": "Dr Tazi", "when": "mardi"});
        let out = render_str("t", BUILT_IN[2].3, &vars).unwrap();
        assert!(out.contains("Dr Tazi") && out.contains("mardi"));
    }

    #[test]
    fn renders_are_bounded_in_work_and_size() {
        let endless = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}";
        assert!(check(endless).unwrap_err().contains("too much work"));
        let huge = "{{ 'x' * 1000000 }}";
        assert!(check(huge).unwrap_err().contains("64 KiB"));
        // Limits hold at send time too, whatever the stored text.
        let e = render_str("t", endless, &serde_json::json!({})).unwrap_err();
        assert!(matches!(e, TemplateError::Render(_, ref e) if e.kind() == minijinja::ErrorKind::OutOfFuel));
        assert!(render_str("t", "{{ name * 70000 }}", &serde_json::json!({"name": "a"})).is_err());
        // A template that merely uses variables passes the trial render.
        check("Hello {{ name|upper }}, {% for a in appointments %}{{ a.when }}{% endfor %}").unwrap();
    }
}
