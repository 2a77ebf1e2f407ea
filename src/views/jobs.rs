//! `/status`: recent jobs as buttons, and one job with Refresh and "Try delivery again".
use super::buttons::{Callback, JobsButton};
use super::{Screen, button, format};
use crate::domain::jobs::JobView;
use crate::i18n::{Arg, Lang};

fn state(lang: &Lang, job: &JobView) -> String {
    lang.t(&format!("job-state-{}", job.status))
}

pub fn list(lang: &Lang, jobs: &[JobView]) -> Screen {
    if jobs.is_empty() {
        return Screen::new(lang.t("jobs-empty"));
    }
    let rows = jobs.iter().map(|job| {
        let label = lang.t_with(
            "button-job",
            &[
                ("plan", job.plan_name.as_str().into()),
                ("quantity", job.quantity.into()),
                ("status", state(lang, job).into()),
                ("enqueued_at", format::time(lang, job.enqueued_at).into()),
            ],
        );
        vec![button(label, Callback::Jobs(JobsButton::Show(job.id)))]
    });
    Screen::new(lang.t("jobs-header")).rows(rows)
}

pub fn details(lang: &Lang, job: &JobView) -> Screen {
    let mut text = lang.t_with(
        "job-details",
        &[
            ("job_id", job.job_id.as_str().into()),
            ("plan", job.plan_name.as_str().into()),
            ("quantity", job.quantity.into()),
            ("delivery", format::delivery(lang, job.export_type).into()),
            ("expiry", format::expiry(lang, job.expires_at).into()),
            ("status", state(lang, job).into()),
            ("delivered", job.delivered.into()),
            ("enqueued_at", format::time(lang, job.enqueued_at).into()),
        ],
    );
    if let Some(result) = &job.result {
        text.push('\n');
        text.push_str(&lang.t_with(
            "job-result",
            &[("count", result.count.into()), ("batch_id", Arg::from(result.batch_id.as_str()))],
        ));
    }
    if let Some(error) = &job.error {
        text.push('\n');
        text.push_str(
            &lang.t_with(
                "job-error",
                &[("code", error.code.as_str().into()), ("message", error.message.as_str().into())],
            ),
        );
    }
    let id = job.id;
    let mut first = vec![button(lang.t("button-refresh"), Callback::Jobs(JobsButton::Show(id)))];
    if job.status.may_retry_delivery() {
        first.push(button(lang.t("button-retry-delivery"), Callback::Jobs(JobsButton::RetryDelivery(id))));
    }
    Screen::new(text).row(first).row(vec![button(lang.t("button-jobs"), Callback::Jobs(JobsButton::List))])
}

/// The answer to `/resend` or "Try delivery again": the job went back to the queue.
pub fn delivery_retried(lang: &Lang, job_id: &str) -> String {
    lang.t_with("delivery-retried", &[("job_id", job_id.into())])
}
