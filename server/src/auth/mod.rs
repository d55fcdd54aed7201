//! How people sign in: built-in accounts (`local`: passwords and session
//! tokens) or Clerk (`clerk`: session tokens checked against its signing keys,
//! `jwks`), and in both modes API keys for scripts (`api_keys`).
//! `http::caller` turns a request into the signed-in user with them.

// Public for the bench, which measures a token check on its own, and for the
// tests, which make sessions directly.
pub mod api_keys;
pub mod clerk;
pub mod jwks;
pub mod local;

use std::time::Duration;

use crate::store::metadata::StoreError;

/// How people sign in: one mode per deployment, chosen by the settings.
pub enum Auth {
    /// Built-in accounts: email and password, hashed a few at a time.
    Local(local::PasswordGate),
    /// Clerk session tokens (`CLERK_PUBLISHABLE_KEY` set); local sign-up and
    /// sign-in answer 404 `local_auth_disabled`.
    Clerk(Box<clerk::ClerkAuth>),
}

impl Auth {
    /// Clerk when its publishable key is set, local accounts otherwise.
    pub fn from_config(config: &crate::settings::Config) -> anyhow::Result<Self> {
        Ok(match clerk::ClerkAuth::from_config(config)? {
            Some(clerk) => Self::Clerk(Box::new(clerk)),
            None => Self::Local(local::PasswordGate::new(
                config.limits.password_hashing_concurrency,
                Duration::from_millis(config.limits.password_hashing_wait_ms),
            )),
        })
    }

    /// The Clerk settings, in Clerk mode.
    pub fn clerk(&self) -> Option<&clerk::ClerkAuth> {
        match self {
            Self::Clerk(clerk) => Some(clerk),
            Self::Local(_) => None,
        }
    }

    /// The password hashing turns, or 404 `local_auth_disabled` in Clerk
    /// mode, where accounts are made and signed into through Clerk only.
    pub fn passwords(&self) -> AuthResult<&local::PasswordGate> {
        match self {
            Self::Local(passwords) => Ok(passwords),
            Self::Clerk(_) => Err(AuthError::LocalAuthDisabled),
        }
    }
}

/// Why signing someone in (or recognising them) did not work.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No valid credentials came with the request.
    #[error("sign-in required")]
    Unauthenticated,
    /// Clerk sign-in is on: local accounts are not used.
    #[error("local sign-in is disabled: this server uses Clerk")]
    LocalAuthDisabled,
    /// Every password hashing turn stayed taken for the whole wait.
    #[error("too many sign-ins at once")]
    Busy { retry_after: Duration },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AuthResult<T> = Result<T, AuthError>;
