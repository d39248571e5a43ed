//! Integration tests: the real app on a random port against a real Postgres.

mod albums;
mod auth;
mod crash;
mod docs;
mod embedded_db;
mod failures;
mod faulty_store;
mod helpers;
mod images;
mod ops;
mod pictures;
mod server_process;
mod test_db;
mod tokens;
