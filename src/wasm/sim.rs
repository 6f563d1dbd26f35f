//! Emission pipeline, network simulator and stake-return model.
