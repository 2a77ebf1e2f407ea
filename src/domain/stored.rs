//! States the domain keeps in the database, each with one fixed spelling there.
use std::fmt;

/// A stored spelling this version does not know: the row was written by something else, or is damaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSpelling {
    pub state: &'static str,
    pub spelling: String,
}

impl fmt::Display for UnknownSpelling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.state, self.spelling)
    }
}

impl std::error::Error for UnknownSpelling {}

/// An enum whose variants are stored as the given strings; reading an unknown string is an error.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The spelling in the database, in events and in what agents read.
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::stored::UnknownSpelling;

            fn from_str(spelling: &str) -> Result<Self, Self::Err> {
                match spelling {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::domain::stored::UnknownSpelling {
                        state: stringify!($name),
                        spelling: spelling.to_owned(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let spelling = <String as serde::Deserialize>::deserialize(deserializer)?;
                spelling.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use stored_enum;

#[cfg(test)]
mod tests {
    use super::super::access_code::CodeStatus;
    use super::super::billing::UsageStatus;
    use super::super::conversations::{ConversationKind, ConversationStatus, Step};
    use super::super::generation::{DraftStatus, ExportType};
    use super::super::jobs::JobStatus;
    use super::super::plans::PlanStatus;
    use super::super::tokens::TokenDraftStatus;
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + fmt::Debug + fmt::Display + std::str::FromStr<Err = UnknownSpelling>,
    {
        for state in all {
            assert_eq!(state.to_string().parse::<T>(), Ok(*state));
        }
        let unknown = "no-such-state".parse::<T>().unwrap_err();
        assert_eq!(unknown.spelling, "no-such-state");
    }

    #[test]
    fn every_stored_state_reads_back_and_unknown_spellings_are_errors() {
        round_trips(JobStatus::ALL);
        round_trips(DraftStatus::ALL);
        round_trips(ExportType::ALL);
        round_trips(CodeStatus::ALL);
        round_trips(PlanStatus::ALL);
        round_trips(ConversationKind::ALL);
        round_trips(ConversationStatus::ALL);
        round_trips(Step::ALL);
        round_trips(UsageStatus::ALL);
        round_trips(TokenDraftStatus::ALL);
        round_trips(crate::domain::subscriptions::SubscriptionChange::ALL);
    }

    #[test]
    fn today_s_spellings_are_kept() {
        assert_eq!(
            JobStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            ["queued", "running", "completed", "failed"]
        );
        assert_eq!(CodeStatus::Unredeemed.as_str(), "unredeemed");
        assert_eq!(PlanStatus::Archived.as_str(), "archived");
        assert_eq!(ConversationKind::RenamePlan.as_str(), "rename");
        assert_eq!(UsageStatus::Reported.as_str(), "reported");
    }
}
