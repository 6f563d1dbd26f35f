//! dTAO subnet pools in all three eras (weighted balancer, Uniswap-v3, constant product).
