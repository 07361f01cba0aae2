pub mod encode;
pub mod label;
