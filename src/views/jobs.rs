//! `/status`: recent jobs as buttons, and one job with Refresh and "Try delivery again".
use chrono::{DateTime, Utc};

use super::buttons::{Callback, JobsButton, MenuItem};
use super::{Screen, button, format};
use crate::domain::jobs::JobView;
use crate::i18n::Lang;

fn state(lang: &Lang, job: &JobView) -> String {
    lang.t(&format!("job-state-{}", job.status))
}

/// The longest plan name a job's button shows whole.
const PLAN_IN_BUTTON: usize = 10;

/// Recent jobs, one button each: its state and kind as icons, the plan, how many, and when.
pub fn list(lang: &Lang, jobs: &[JobView], now: DateTime<Utc>) -> Screen {
    if jobs.is_empty() {
        return Screen::new(lang.t("jobs-empty"))
            .row(vec![button(lang.t("menu-generate"), Callback::Menu(MenuItem::Generate))]);
    }
    let rows = jobs.iter().map(|job| {
        let label = lang.t_with(
            "button-job",
            &[
                ("state", lang.t(&format!("job-icon-{}", job.status)).into()),
                ("kind", lang.t(&format!("export-icon-{}", job.export_type)).into()),
                ("plan", format::short(&job.plan_name, PLAN_IN_BUTTON).into()),
                ("quantity", job.quantity.into()),
                ("when", format::when(lang, job.enqueued_at, now).into()),
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
            ("what", super::generate::job_what(lang, &job.label()).into()),
            ("plan", job.plan_name.as_str().into()),
            ("quantity", job.quantity.into()),
            ("delivery", format::delivery(lang, job.export_type).into()),
            ("expiry", format::expiry(lang, job.expires_at).into()),
            ("status", state(lang, job).into()),
            ("delivered", job.delivered.into()),
            ("enqueued_at", format::time(lang, job.enqueued_at).into()),
        ],
    );
    if let Some(error) = &job.error {
        text.push('\n');
        text.push_str(&lang.t_with("job-error", &[("message", error.message.as_str().into())]));
    }
    // The one place a job's id shows: to copy for /resend, MCP or the operator.
    text.push('\n');
    text.push_str(&lang.t_with("job-reference", &[("job_id", job.job_id.as_str().into())]));
    let id = job.id;
    let mut first = vec![button(lang.t("button-refresh"), Callback::Jobs(JobsButton::Show(id)))];
    if job.status.may_retry_delivery() {
        first.push(button(lang.t("button-retry-delivery"), Callback::Jobs(JobsButton::RetryDelivery(id))));
    }
    Screen::new(text).row(first).row(vec![button(lang.t("button-jobs"), Callback::Jobs(JobsButton::List))])
}

/// The answer to `/resend` or "Try delivery again": the job went back to the queue.
pub fn delivery_retried(lang: &Lang) -> String {
    lang.t("delivery-retried")
}
