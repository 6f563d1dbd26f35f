//! Chain data: SCALE types, storage keys, RPC requests, snapshots and verification.
