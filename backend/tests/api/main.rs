//! Integration tests: the real app on a random port against a real Postgres.

mod albums;
mod auth;
mod embedded_db;
mod helpers;
mod ops;
mod test_db;
mod tokens;
