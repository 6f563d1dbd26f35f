//! Chain data: SCALE decoding, storage keys, snapshots and verification.
