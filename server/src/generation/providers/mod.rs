//! The image providers behind `ImageProvider`: the built-in offline engine
//! and Together AI's FLUX models. Which one runs is decided once, at start-up.

pub mod offline;
pub mod together;
