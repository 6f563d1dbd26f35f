//! The little expression language of the pool vectors' free-text fields.
//!
//! Upstream tests often compute their expectation from live state, and the vectors restate that
//! as a formula string (`"(alpha_emission - owner_cut_amt)/2"`, `"10000000 + 0.18*1000000 =
//! 10180000"`, `"floor(2000000*rate) (~820000)"`, `"< 1e-6"`). This module evaluates such strings
//! against named values of the simulated state: `+ - * / ^`, parentheses, `floor/min/max/abs`,
//! `u64::MAX`-style constants, numbers with `_` separators and exponents.

use std::collections::BTreeMap;
use substrate_fixed::types::U96F32;

/// Named values available to a formula: f64 views, plus the exact U96F32 values where the
/// quantity is a chain fixed-point value (so `exact` formulas can be re-evaluated in U96F32).
#[derive(Debug, Clone, Default)]
pub struct Vars {
    f: BTreeMap<String, f64>,
    fixed: BTreeMap<String, U96F32>,
}

impl Vars {
    /// No names.
    pub fn new() -> Self {
        Vars::default()
    }

    /// Name an f64 value.
    pub fn insert(&mut self, name: impl Into<String>, v: f64) {
        self.f.insert(name.into(), v);
    }

    /// Name a U96F32 value (also visible as f64).
    pub fn insert_fixed(&mut self, name: impl Into<String>, v: U96F32) {
        let name = name.into();
        self.f.insert(name.clone(), v.to_num::<f64>());
        self.fixed.insert(name, v);
    }

    /// The f64 value of a name.
    pub fn get(&self, name: &str) -> Option<&f64> {
        self.f.get(name)
    }

    /// Whether any exact U96F32 value is named.
    pub fn has_fixed(&self) -> bool {
        !self.fixed.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(char),
    LParen,
    RParen,
    Comma,
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|d| d.is_ascii_digit() || *d == '.' || *d == '_')
            {
                i += 1;
            }
            if chars.get(i).is_some_and(|e| *e == 'e' || *e == 'E')
                && chars.get(i + 1).is_some_and(|d| {
                    d.is_ascii_digit()
                        || ((*d == '-' || *d == '+')
                            && chars.get(i + 2).is_some_and(|x| x.is_ascii_digit()))
                })
            {
                i += 2;
                while chars.get(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
            }
            let text: String = chars
                .get(start..i)
                .unwrap_or_default()
                .iter()
                .filter(|c| **c != '_')
                .collect();
            match text.parse::<f64>() {
                Ok(v) => out.push(Tok::Num(v)),
                Err(_) => return out,
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            loop {
                while chars
                    .get(i)
                    .is_some_and(|d| d.is_ascii_alphanumeric() || *d == '_')
                {
                    i += 1;
                }
                if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                    i += 2;
                    continue;
                }
                if chars.get(i) == Some(&'[') {
                    if let Some(close) = chars.iter().skip(i).position(|d| *d == ']') {
                        i += close + 1;
                        continue;
                    }
                }
                break;
            }
            out.push(Tok::Ident(
                chars.get(start..i).unwrap_or_default().iter().collect(),
            ));
        } else {
            match c {
                '(' => out.push(Tok::LParen),
                ')' => out.push(Tok::RParen),
                ',' => out.push(Tok::Comma),
                '+' | '-' | '*' | '/' | '^' => out.push(Tok::Op(c)),
                _ => out.push(Tok::Op(c)),
            }
            i += 1;
        }
    }
    out
}

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    vars: &'a Vars,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expr(&mut self) -> Option<f64> {
        let mut v = self.term()?;
        while let Some(Tok::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            let r = self.term()?;
            v = if op == '+' { v + r } else { v - r };
        }
        Some(v)
    }

    fn term(&mut self) -> Option<f64> {
        let mut v = self.unary()?;
        while let Some(Tok::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            self.pos += 1;
            let r = self.unary()?;
            v = if op == '*' { v * r } else { v / r };
        }
        Some(v)
    }

    fn unary(&mut self) -> Option<f64> {
        if let Some(Tok::Op('-')) = self.peek() {
            self.pos += 1;
            return Some(-self.unary()?);
        }
        self.power()
    }

    fn power(&mut self) -> Option<f64> {
        let base = self.atom()?;
        if let Some(Tok::Op('^')) = self.peek() {
            self.pos += 1;
            let e = self.unary()?;
            return Some(base.powf(e));
        }
        Some(base)
    }

    fn atom(&mut self) -> Option<f64> {
        match self.next()? {
            Tok::Num(v) => Some(v),
            Tok::LParen => {
                let v = self.expr()?;
                match self.next()? {
                    Tok::RParen => Some(v),
                    _ => None,
                }
            }
            Tok::Ident(name) => {
                if let Some(Tok::LParen) = self.peek() {
                    self.pos += 1;
                    let mut args = vec![self.expr()?];
                    while let Some(Tok::Comma) = self.peek() {
                        self.pos += 1;
                        args.push(self.expr()?);
                    }
                    if self.next()? != Tok::RParen {
                        return None;
                    }
                    let a = *args.first()?;
                    return match name.as_str() {
                        "floor" => Some(a.floor()),
                        "abs" => Some(a.abs()),
                        "min" => Some(args.iter().copied().fold(a, f64::min)),
                        "max" => Some(args.iter().copied().fold(a, f64::max)),
                        _ => None,
                    };
                }
                constant(&name).or_else(|| self.vars.get(&name).copied())
            }
            _ => None,
        }
    }
}

/// Evaluate `s` in U96F32 arithmetic (saturating `+ - *`, truncating `/`, `floor`), with names
/// resolved to their exact U96F32 values. `None` if a name has no exact value.
pub fn eval_fixed(s: &str, vars: &Vars) -> Option<U96F32> {
    struct P<'a> {
        toks: Vec<Tok>,
        pos: usize,
        vars: &'a Vars,
    }
    impl P<'_> {
        fn peek(&self) -> Option<&Tok> {
            self.toks.get(self.pos)
        }
        fn expr(&mut self) -> Option<U96F32> {
            let mut v = self.term()?;
            while let Some(Tok::Op(op @ ('+' | '-'))) = self.peek().cloned() {
                self.pos += 1;
                let r = self.term()?;
                v = if op == '+' {
                    v.saturating_add(r)
                } else {
                    v.saturating_sub(r)
                };
            }
            Some(v)
        }
        fn term(&mut self) -> Option<U96F32> {
            let mut v = self.atom()?;
            while let Some(Tok::Op(op @ ('*' | '/'))) = self.peek().cloned() {
                self.pos += 1;
                let r = self.atom()?;
                v = if op == '*' {
                    v.saturating_mul(r)
                } else {
                    v.checked_div(r).unwrap_or_else(|| U96F32::from_num(0))
                };
            }
            Some(v)
        }
        fn atom(&mut self) -> Option<U96F32> {
            let t = self.toks.get(self.pos).cloned()?;
            self.pos += 1;
            match t {
                Tok::Num(v) => (v >= 0.0).then(|| U96F32::from_num(v)),
                Tok::LParen => {
                    let v = self.expr()?;
                    (self.toks.get(self.pos) == Some(&Tok::RParen)).then(|| {
                        self.pos += 1;
                        v
                    })
                }
                Tok::Ident(name) if name == "floor" => {
                    if self.toks.get(self.pos) != Some(&Tok::LParen) {
                        return None;
                    }
                    self.pos += 1;
                    let v = self.expr()?;
                    (self.toks.get(self.pos) == Some(&Tok::RParen)).then(|| {
                        self.pos += 1;
                        v.floor()
                    })
                }
                Tok::Ident(name) => self.vars.fixed.get(&name).copied(),
                _ => None,
            }
        }
    }
    let mut p = P {
        toks: tokenize(s),
        pos: 0,
        vars,
    };
    let v = p.expr()?;
    (p.pos == p.toks.len()).then_some(v)
}

fn constant(name: &str) -> Option<f64> {
    Some(match name {
        "u64::MAX" => u64::MAX as f64,
        "u32::MAX" => f64::from(u32::MAX),
        "u16::MAX" => f64::from(u16::MAX),
        "i64::MAX" => i64::MAX as f64,
        _ => return None,
    })
}

/// Evaluate the whole of `s` (`None` if anything is left over or a name is unknown).
pub fn eval(s: &str, vars: &Vars) -> Option<f64> {
    let mut p = Parser {
        toks: tokenize(s),
        pos: 0,
        vars,
    };
    let v = p.expr()?;
    (p.pos == p.toks.len()).then_some(v)
}

/// Evaluate the longest leading expression of `s` (trailing remarks such as `"(fresh subnet)"`
/// or `"for both"` are ignored).
pub fn eval_prefix(s: &str, vars: &Vars) -> Option<f64> {
    let toks = tokenize(s);
    for end in (1..=toks.len()).rev() {
        let mut p = Parser {
            toks: toks.get(..end).unwrap_or_default().to_vec(),
            pos: 0,
            vars,
        };
        if let Some(v) = p.expr() {
            if p.pos == end {
                return Some(v);
            }
        }
    }
    None
}

/// Split at top-level `=` signs that are not part of `==`, `<=`, `>=`, `!=`.
fn split_equals(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'=' {
            continue;
        }
        let prev = if i > 0 {
            bytes.get(i - 1).copied()
        } else {
            None
        };
        let next = bytes.get(i + 1).copied();
        if matches!(prev, Some(b'=' | b'<' | b'>' | b'!')) || next == Some(b'=') {
            continue;
        }
        parts.push(s.get(start..i).unwrap_or(""));
        start = i + 1;
    }
    parts.push(s.get(start..).unwrap_or(""));
    parts
}

/// The value a free-text expectation names: `~N` if present, else the last `= …` part that
/// evaluates, else the first part.
pub fn target(s: &str, vars: &Vars) -> Option<f64> {
    if let Some(pos) = s.find('~') {
        if let Some(v) = eval_prefix(s.get(pos + 1..).unwrap_or(""), vars) {
            return Some(v);
        }
    }
    let parts = split_equals(s);
    if let Some(v) = parts.last().and_then(|last| eval(last.trim(), vars)) {
        return Some(v);
    }
    parts
        .first()
        .and_then(|first| eval(first.trim(), vars).or_else(|| eval_prefix(first.trim(), vars)))
}

/// A comparison predicate such as `"< 1e-6"` or `"> 0.999999"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Predicate {
    /// The operator: `<`, `>`, `≤` (as 'l'), `≥` (as 'g'), `=`.
    pub op: char,
    /// Right-hand side.
    pub rhs: f64,
}

impl Predicate {
    /// Whether `x` satisfies the predicate.
    pub fn holds(&self, x: f64) -> bool {
        match self.op {
            '<' => x < self.rhs,
            '>' => x > self.rhs,
            'l' => x <= self.rhs,
            'g' => x >= self.rhs,
            _ => x == self.rhs,
        }
    }
}

/// Parse `s` as a predicate if it starts with a comparison operator.
pub fn predicate(s: &str, vars: &Vars) -> Option<Predicate> {
    let t = s.trim_start();
    let (op, rest) = if let Some(r) = t.strip_prefix("<=") {
        ('l', r)
    } else if let Some(r) = t.strip_prefix(">=") {
        ('g', r)
    } else if let Some(r) = t.strip_prefix("==") {
        ('=', r)
    } else if let Some(r) = t.strip_prefix('<') {
        ('<', r)
    } else if let Some(r) = t.strip_prefix('>') {
        ('>', r)
    } else {
        return None;
    };
    Some(Predicate {
        op,
        rhs: eval_prefix(rest, vars)?,
    })
}

/// The first integer in `s`, exactly: a decimal literal (with `_` separators or an exponent such
/// as `1e18`), or `u64::MAX` / `u16::MAX` optionally followed by `/N`.
pub fn first_u64(s: &str) -> Option<u64> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let rest: String = chars.get(i..).unwrap_or_default().iter().collect();
        for (name, max) in [
            ("u64::MAX", u64::MAX),
            ("u32::MAX", u64::from(u32::MAX)),
            ("u16::MAX", u64::from(u16::MAX)),
        ] {
            if let Some(after) = rest.strip_prefix(name) {
                let after = after.trim_start();
                if let Some(div) = after.strip_prefix('/') {
                    if let Some(d) = leading_int(div.trim_start()).filter(|d| *d > 0) {
                        return Some(max / d);
                    }
                }
                return Some(max);
            }
        }
        if c.is_ascii_digit() {
            return leading_int(&rest);
        }
        i += 1;
    }
    None
}

/// A leading decimal integer (`_` allowed, `NeM` exponents expanded exactly).
fn leading_int(s: &str) -> Option<u64> {
    let mut digits = String::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c != '_' {
            break;
        }
        chars.next();
    }
    if chars.peek() == Some(&'.') {
        // "1.0", "2.5e9": only integral values are accepted here.
        let rest: String = chars.collect();
        let whole = format!("{digits}{rest}");
        let v = eval_prefix(&whole, &Vars::new())?;
        return (v >= 0.0 && v.fract() == 0.0 && v < 1.8e19).then_some(v as u64);
    }
    let mut value: u64 = digits.parse().ok()?;
    if matches!(chars.peek(), Some('e' | 'E')) {
        chars.next();
        let exp: String = chars.take_while(|c| c.is_ascii_digit()).collect();
        let e: u32 = exp.parse().ok()?;
        value = value.checked_mul(10u64.checked_pow(e)?)?;
    }
    Some(value)
}

#[cfg(test)]
#[path = "expr_tests.rs"]
mod tests;
