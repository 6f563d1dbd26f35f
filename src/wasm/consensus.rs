//! Yuma consensus: run one or many epochs, with an optional trace.
