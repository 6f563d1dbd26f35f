pub fn run_scheduler(_d:&serde_json::Value,_o:&mut crate::vectors::Outcomes)->crate::error::Result<()>{Ok(())}
pub fn run_validation(_d:&serde_json::Value,_o:&mut crate::vectors::Outcomes)->crate::error::Result<()>{Ok(())}
