//! `accessbot backup` and `accessbot restore`: a consistent copy of a SQLite database, taken while the bot
//! runs, kept together with the instance secret (without which no code or token can be checked again).
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::db::{Db, sqlite_path};

/// Why a backup or a restore did not happen.
#[derive(Debug)]
pub struct BackupError(pub String);

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a backup keeps the instance secret: beside the database copy, as `<file>.secret`.
pub fn secret_path_of(backup: &Path) -> PathBuf {
    PathBuf::from(format!("{}.secret", backup.display()))
}

fn sqlite_database(settings: &Settings) -> Result<PathBuf, BackupError> {
    sqlite_path(&settings.database_url).ok_or_else(|| {
        BackupError(
            "backup and restore are for a SQLite database; back PostgreSQL up with pg_dump, and keep \
             ACCESSBOT_SECRET with the dump"
                .to_owned(),
        )
    })
}

fn refuse_existing(path: &Path) -> Result<(), BackupError> {
    if path.exists() {
        return Err(BackupError(format!("{} exists already; nothing was overwritten", path.display())));
    }
    Ok(())
}

/// The instance secret as this instance uses it: `ACCESSBOT_SECRET`, or the file beside the database.
fn secret_value(settings: &Settings) -> Result<String, BackupError> {
    if let Some(secret) = &settings.instance_secret {
        return Ok(secret.expose().to_owned());
    }
    let path = settings.secret_file().ok_or_else(|| BackupError("no instance secret is configured".to_owned()))?;
    std::fs::read_to_string(&path)
        .map(|value| value.trim().to_owned())
        .map_err(|error| BackupError(format!("cannot read the instance secret {}: {error}", path.display())))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(path).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    written.map_err(|error| BackupError(format!("cannot write {}: {error}", path.display())))
}

fn make_private(path: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|error| BackupError(format!("cannot restrict {}: {error}", path.display())))?;
    }
    Ok(())
}

/// Copies the running database into `target` and the secret into `<target>.secret`, both mode 0600.
pub async fn backup(settings: &Settings, target: &Path) -> Result<String, BackupError> {
    sqlite_database(settings)?;
    let secret_target = secret_path_of(target);
    refuse_existing(target)?;
    refuse_existing(&secret_target)?;
    let secret = secret_value(settings)?;
    let db = Db::connect(&settings.database_url, 1).await.map_err(|error| BackupError(error.to_string()))?;
    db.copy_into(target).await.map_err(|error| BackupError(format!("the copy failed: {error}")))?;
    make_private(target)?;
    write_private(&secret_target, secret.as_bytes())?;
    Ok(format!(
        "Backed up to {} with the instance secret in {}. Keep both: without the secret no code can be checked again.",
        target.display(),
        secret_target.display()
    ))
}

/// Puts a backup back where this configuration keeps its database and secret, which must not exist yet.
pub fn restore(settings: &Settings, source: &Path) -> Result<String, BackupError> {
    let database = sqlite_database(settings)?;
    let secret_source = secret_path_of(source);
    let secret_target = settings.secret_file().ok_or_else(|| BackupError("no place for the secret".to_owned()))?;
    for path in [source, secret_source.as_path()] {
        if !path.exists() {
            return Err(BackupError(format!("{} is missing", path.display())));
        }
    }
    refuse_existing(&database)?;
    refuse_existing(&secret_target)?;
    let read = |path: &Path| {
        std::fs::read(path).map_err(|error| BackupError(format!("cannot read {}: {error}", path.display())))
    };
    let copy = read(source)?;
    if !copy.starts_with(b"SQLite format 3\0") {
        return Err(BackupError(format!("{} is not a SQLite database", source.display())));
    }
    write_private(&database, &copy)?;
    write_private(&secret_target, &read(&secret_source)?)?;
    if settings.instance_secret.is_some() {
        log::warn!("ACCESSBOT_SECRET is set: it must be the secret of the backup, {}", secret_source.display());
    }
    Ok(format!("Restored {} and its instance secret {}.", database.display(), secret_target.display()))
}
