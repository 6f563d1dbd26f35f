pub fn run(_d:&serde_json::Value,_o:&mut crate::vectors::Outcomes)->crate::error::Result<()>{Ok(())}
