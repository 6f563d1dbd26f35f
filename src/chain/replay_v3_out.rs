//! The outputs of `replay block` at specs 421–422 ([`super::replay_v3`]): one computed value with
//! its storage identity and the parent keys it lacks, compared with the child or listed.

use super::capture::Capture;
use super::coinbase_items::Item;
use super::hex;
use super::replay_report::{BlockReplay, ItemCheck, MissingItem};
use crate::error::Result;

/// One output: its storage identity, the engine's value and what it lacks.
pub(crate) struct Out {
    pub item: String,
    pub args: String,
    pub key: String,
    pub default: Option<Vec<u8>>,
    pub actual: Vec<u8>,
    pub needs: Vec<String>,
}

impl Out {
    pub fn of(it: &Item, n: u16, actual: Vec<u8>, needs: Vec<String>) -> Self {
        Out {
            item: it.path(),
            args: it.args(n),
            key: it.key_hex(n),
            default: (it.default)(),
            actual,
            needs,
        }
    }
}

/// Compare `o` with the child, or list it with its needs (or the child key it lacks).
pub(crate) fn emit(r: &mut BlockReplay, child: &Capture, mut o: Out) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    o.needs.retain(|n| seen.insert(n.clone()));
    if !o.needs.is_empty() {
        r.missing.push(MissingItem {
            item: o.item,
            args: o.args,
            needs: o.needs,
        });
        return Ok(());
    }
    let Some(expected) = child.storage.get(&o.key) else {
        let need = format!("CHILD: {}{} (key {})", o.item, o.args, o.key);
        r.missing.push(MissingItem {
            item: o.item,
            args: o.args,
            needs: vec![need],
        });
        return Ok(());
    };
    let effective = match expected {
        Some(h) => Some(hex::decode(h)?),
        None => o.default.clone(),
    };
    r.items.push(ItemCheck {
        equal: effective.as_deref() == Some(&o.actual[..]),
        item: o.item,
        args: o.args,
        key: o.key,
        expected: expected.clone(),
        actual: Some(hex::encode(&o.actual)),
    });
    Ok(())
}

/// List `it[n]` with `needs`.
pub(crate) fn list(r: &mut BlockReplay, item: String, args: String, needs: Vec<String>) {
    r.missing.push(MissingItem { item, args, needs });
}
