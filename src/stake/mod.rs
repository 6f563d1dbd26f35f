//! Staking operations, alpha share pools, takes, child keys and registration.
