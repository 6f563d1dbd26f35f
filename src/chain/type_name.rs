//! Parsing and normalising type names: `NeuronInfo<AccountId32>` -> `NeuronInfo`,
//! `Compact<NetUid>` -> `Compact<u16>`, `BoundedVec<u8, 5000>` -> `Vec<u8>`, `T::AccountId` ->
//! `AccountId32`, spaces dropped. The canonical form is what the registry table is keyed by.

use super::registry_structs::STRUCT_NAMES;
use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Path(String, Vec<Ty>),
    Tuple(Vec<Ty>),
    Array(Box<Ty>, String),
}

struct Parser<'a> {
    toks: Vec<&'a str>,
    pos: usize,
}

fn tokenize(s: &str) -> Result<Vec<&str>> {
    let mut toks = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let word = c.is_alphanumeric() || c == '_' || c == ':';
        if word {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(st) = start.take() {
            toks.push(s.get(st..i).unwrap_or(""));
        }
        match c {
            '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' => {
                toks.push(s.get(i..i.saturating_add(1)).unwrap_or(""))
            }
            c if c.is_whitespace() || c == '&' => {}
            _ => {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    format!("unexpected character {c:?} in type name {s:?}"),
                ))
            }
        }
    }
    if let Some(st) = start {
        toks.push(s.get(st..).unwrap_or(""));
    }
    Ok(toks)
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.toks.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<&'a str> {
        let t = self.peek();
        self.pos = self.pos.saturating_add(1);
        t
    }
    fn expect(&mut self, want: &str) -> Result<()> {
        match self.next() {
            Some(t) if t == want => Ok(()),
            other => Err(Error::new(
                ErrorCode::Unsupported,
                format!("bad type name: expected {want:?}, found {other:?}"),
            )),
        }
    }
    fn list(&mut self, close: &str, depth: u32) -> Result<Vec<Ty>> {
        let mut items = Vec::new();
        if self.peek() == Some(close) {
            self.next();
            return Ok(items);
        }
        loop {
            items.push(self.ty(depth)?);
            match self.next() {
                Some(",") if self.peek() == Some(close) => {
                    self.next();
                    return Ok(items);
                }
                Some(",") => {}
                Some(t) if t == close => return Ok(items),
                other => {
                    return Err(Error::new(
                        ErrorCode::Unsupported,
                        format!("bad type name: expected ',' or {close:?}, found {other:?}"),
                    ))
                }
            }
        }
    }
    fn ty(&mut self, depth: u32) -> Result<Ty> {
        if depth > 32 {
            return Err(Error::new(
                ErrorCode::DecodeLimit,
                "type name nested too deeply",
            ));
        }
        let d = depth.saturating_add(1);
        match self.next() {
            Some("(") => Ok(Ty::Tuple(self.list(")", d)?)),
            Some("[") => {
                let elem = self.ty(d)?;
                self.expect(";")?;
                let n = self.next().unwrap_or("").to_string();
                self.expect("]")?;
                Ok(Ty::Array(Box::new(elem), n))
            }
            Some(word) if !matches!(word, "<" | ">" | ")" | "]" | "," | ";") => {
                let args = if self.peek() == Some("<") {
                    self.next();
                    self.list(">", d)?
                } else {
                    Vec::new()
                };
                Ok(Ty::Path(word.to_string(), args))
            }
            other => Err(Error::new(
                ErrorCode::Unsupported,
                format!("bad type name: unexpected {other:?}"),
            )),
        }
    }
}

fn normalize(t: Ty) -> Ty {
    match t {
        Ty::Tuple(items) if items.len() == 1 => {
            normalize(items.into_iter().next().unwrap_or(Ty::Tuple(Vec::new())))
        }
        Ty::Tuple(items) => Ty::Tuple(items.into_iter().map(normalize).collect()),
        Ty::Array(e, n) => Ty::Array(Box::new(normalize(*e)), n),
        Ty::Path(name, args) => {
            let base = name.rsplit("::").next().unwrap_or(&name).to_string();
            let mut args: Vec<Ty> = args.into_iter().map(normalize).collect();
            let base = match base.as_str() {
                "AccountId" | "AccountIdOf" => "AccountId32".to_string(),
                "NetUid" | "NetUidStorageIndex" => "u16".to_string(),
                "MechId" => "u8".to_string(),
                "TaoBalance" | "AlphaBalance" | "TaoCurrency" | "AlphaCurrency" | "Balance" => {
                    "u64".to_string()
                }
                "String" => "str".to_string(),
                "Hash" => "H256".to_string(),
                "VecDeque" | "BoundedVec" | "WeakBoundedVec" => {
                    args.truncate(1);
                    "Vec".to_string()
                }
                "BTreeMap" | "BoundedBTreeMap" => {
                    args.truncate(2);
                    "BTreeMap".to_string()
                }
                "ChainIdentityOfV2" => "ChainIdentityV2".to_string(),
                "SubnetInfoV2" => "SubnetInfov2".to_string(),
                "SubnetHyperparamsV1" => "SubnetHyperparams".to_string(),
                "SubnetIdentityOfV3" => "SubnetIdentityV3".to_string(),
                _ => base,
            };
            if STRUCT_NAMES.contains(&base.as_str()) {
                args.clear();
            }
            Ty::Path(base, args)
        }
    }
}

fn print(t: &Ty, out: &mut String) {
    match t {
        Ty::Path(name, args) => {
            out.push_str(name);
            if !args.is_empty() {
                out.push('<');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    print(a, out);
                }
                out.push('>');
            }
        }
        Ty::Tuple(items) => {
            out.push('(');
            for (i, a) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                print(a, out);
            }
            out.push(')');
        }
        Ty::Array(e, n) => {
            out.push('[');
            print(e, out);
            out.push(';');
            out.push_str(n);
            out.push(']');
        }
    }
}

/// The canonical form of a type name (what [`super::registry::known_types`] lists).
pub fn canonical_type_name(text: &str) -> Result<String> {
    let toks = tokenize(text)?;
    let mut p = Parser { toks, pos: 0 };
    let t = p.ty(0)?;
    if let Some(extra) = p.peek() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!("bad type name {text:?}: unexpected {extra:?} after the type"),
        ));
    }
    let mut out = String::new();
    print(&normalize(t), &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names() {
        let c = |s| canonical_type_name(s).unwrap();
        assert_eq!(c("Vec<NeuronInfoLite<AccountId32>>"), "Vec<NeuronInfoLite>");
        assert_eq!(c("Option<Metagraph<T::AccountId>>"), "Option<Metagraph>");
        assert_eq!(c("Vec<(u16, u16)>"), "Vec<(u16,u16)>");
        assert_eq!(c("[u8; 4]"), "[u8;4]");
        assert_eq!(c("Compact<NetUid>"), "Compact<u16>");
        assert_eq!(
            c("VecDeque<(H256, u64, u64, u64)>"),
            "Vec<(H256,u64,u64,u64)>"
        );
        assert_eq!(c("BoundedVec<u8, ConstU32<5000>>"), "Vec<u8>");
        assert_eq!(c("()"), "()");
        assert_eq!(c("String"), "str");
        assert!(canonical_type_name("Vec<u8").is_err());
        assert!(canonical_type_name("Vec<u8>>").is_err());
    }
}
