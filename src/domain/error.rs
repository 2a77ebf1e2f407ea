//! The one error type of the domain, with a variant per stable error code.
use std::fmt;

/// Why a field was refused; each reason has its own translated message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidationReason {
    Required,
    NotAnInteger,
    OutOfRange {
        min: i64,
        max: i64,
    },
    UnknownValue {
        allowed: &'static [&'static str],
    },
    ConsentRequired,
    NotPositive,
    TooFarAhead {
        max_years: i64,
    },
    TooLong {
        max: usize,
    },
    Taken,
    NoLinkedChat,
    WrongType {
        expected: &'static str,
    },
    NotRetryable,
    NotAUrl,
    NotHttps,
    /// A URL whose host is, or resolves to, a loopback, private, link-local or metadata address.
    PrivateTarget,
    Unresolvable,
    StillPending,
    /// A code prefix must be 2 to 6 letters A–Z or digits.
    NotAPrefix,
    /// Exactly one of these fields must be given.
    OneOf {
        fields: &'static [&'static str],
    },
    /// A code nobody holds a redemption of, so there is nothing to roll back.
    NotRedeemed,
    /// The redemption was rolled back already.
    RolledBack,
}

impl ValidationReason {
    /// The key of the reason in the locale files (`validation-<key>`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::NotAnInteger => "not-an-integer",
            Self::OutOfRange { .. } => "out-of-range",
            Self::UnknownValue { .. } => "unknown-value",
            Self::ConsentRequired => "consent-required",
            Self::NotPositive => "not-positive",
            Self::TooFarAhead { .. } => "too-far-ahead",
            Self::TooLong { .. } => "too-long",
            Self::Taken => "taken",
            Self::NoLinkedChat => "no-linked-chat",
            Self::WrongType { .. } => "wrong-type",
            Self::NotRetryable => "not-retryable",
            Self::NotAUrl => "not-a-url",
            Self::NotHttps => "not-https",
            Self::PrivateTarget => "private-target",
            Self::Unresolvable => "unresolvable",
            Self::StillPending => "still-pending",
            Self::OneOf { .. } => "one-of",
            Self::NotAPrefix => "not-a-prefix",
            Self::NotRedeemed => "not-redeemed",
            Self::RolledBack => "rolled-back",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    Validation {
        field: &'static str,
        reason: ValidationReason,
    },
    NotFound {
        resource: &'static str,
    },
    AuthenticationRequired,
    TokenMissingAbility {
        ability: &'static str,
    },
    RateLimited {
        retry_after_secs: u64,
    },
    /// Something unexpected; the details went to the log under `reference`.
    Internal {
        reference: String,
    },
}

impl DomainError {
    pub fn validation(field: &'static str, reason: ValidationReason) -> Self {
        Self::Validation { field, reason }
    }

    pub fn not_found(resource: &'static str) -> Self {
        Self::NotFound { resource }
    }

    /// Logs an unexpected failure with a fresh reference that is safe to show to the user.
    pub fn internal(context: &str, source: impl fmt::Display) -> Self {
        let reference = ulid::Ulid::generate().to_string()[16..].to_owned();
        log::error!("internal error {reference}: {context}: {source}");
        Self::Internal { reference }
    }

    /// The stable code that agents and creators rely on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "VALIDATION_FAILED",
            Self::NotFound { .. } => "RESOURCE_NOT_FOUND",
            Self::AuthenticationRequired => "AUTHENTICATION_REQUIRED",
            Self::TokenMissingAbility { .. } => "TOKEN_MISSING_ABILITY",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal { .. } => "INTERNAL_ERROR",
        }
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation { field, reason } => write!(f, "{}: {field}: {}", self.code(), reason.key()),
            Self::NotFound { resource } => write!(f, "{}: {resource}", self.code()),
            Self::Internal { reference } => write!(f, "{}: reference {reference}", self.code()),
            _ => f.write_str(self.code()),
        }
    }
}

impl std::error::Error for DomainError {}

impl From<crate::db::DbError> for DomainError {
    fn from(error: crate::db::DbError) -> Self {
        Self::internal("database", error)
    }
}
