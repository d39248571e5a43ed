//! Receiving uploads: the memory they may hold while they arrive.

pub mod memory;
