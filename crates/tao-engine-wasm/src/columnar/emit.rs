//! A table's JS value in one crossing: the numeric columns stay where the decoder left them in
//! wasm memory, and a program of `u32` words (one per open object, column and close) tells a small
//! JS snippet where each one lies, its typed-array kind, its byte range in the result's one
//! `ArrayBuffer` and its key. The snippet allocates that buffer once, copies each column into its
//! range (`TypedArray.set`, no per-column call into or out of wasm), makes the views and builds the
//! nested objects; an account column as text is split and fanned out there too. Values that are
//! not arrays of numbers (text, a metagraph's subnet-wide fields) are made by the Rust side and
//! passed in one `Array` the program refers to by index.
//!
//! The layout is the one the per-column copies had: every array at the next multiple of its
//! element size, in the order the objects' keys are set, in a buffer of [`super::room`] bytes.

use js_sys::Array;
use tao_engine::chain::types::AccountId32;
use wasm_bindgen::prelude::*;

// Op codes of the program (the snippet's `switch`).
const OPEN: u32 = 0;
const CLOSE: u32 = 1;
const ARRAY: u32 = 2;
const EXTRA: u32 = 3;
const ACCOUNTS: u32 = 4;

/// Typed-array kinds, in the snippet's `KINDS` order.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    U8 = 0,
    U16 = 1,
    U32 = 2,
    U64 = 3,
    I64 = 4,
    F64 = 5,
}

impl Kind {
    fn size(self) -> usize {
        match self {
            Kind::U8 => 1,
            Kind::U16 => 2,
            Kind::U32 => 4,
            Kind::U64 | Kind::I64 | Kind::F64 => 8,
        }
    }
}

#[wasm_bindgen(inline_js = "const utf8 = new TextDecoder();
const KINDS = [Uint8Array, Uint16Array, Uint32Array, BigUint64Array, BigInt64Array, Float64Array];
let keysText = null, keys = [];
export function columnTable(memory, prog, keyText, total, extras, root) {
  if (keyText !== keysText) { keys = keyText.split(','); keysText = keyText; }
  const ab = new ArrayBuffer(total), dst = new Uint8Array(ab), mem = memory.buffer;
  const src = new Uint8Array(mem), stack = [];
  let o = root;
  for (let i = 0; i < prog.length;) {
    switch (prog[i++]) {
      case 0: stack.push(o); o = {}; break;
      case 1: { const parent = stack.pop(); parent[keys[prog[i++]]] = o; o = parent; break; }
      case 2: {
        const key = keys[prog[i++]], K = KINDS[prog[i++]], ptr = prog[i++], off = prog[i++], len = prog[i++];
        dst.set(src.subarray(ptr, ptr + len * K.BYTES_PER_ELEMENT), off);
        o[key] = new K(ab, off, len);
        break;
      }
      case 3: o[keys[prog[i++]]] = extras[prog[i++]]; break;
      case 4: {
        const key = keys[prog[i++]], tp = prog[i++], tl = prog[i++], ip = prog[i++], il = prog[i++];
        const distinct = tl === 0 ? [] : utf8.decode(src.subarray(tp, tp + tl)).split(',');
        if (il === 0) { o[key] = distinct; break; }
        const index = new Uint32Array(mem, ip, il), rows = new Array(il);
        for (let j = 0; j < il; j++) rows[j] = distinct[index[j]];
        o[key] = rows;
        break;
      }
    }
  }
  return root;
}")]
extern "C" {
    /// Runs `prog` over `root` (the table object, its `type` and `length` set) with a fresh
    /// `ArrayBuffer` of `total` bytes; `keys` are the program's keys joined by `,`.
    #[wasm_bindgen(js_name = columnTable)]
    fn column_table(
        memory: &JsValue,
        prog: &[u32],
        keys: &str,
        total: u32,
        extras: &Array,
        root: &JsValue,
    ) -> JsValue;
}

/// The program of one table, and what must stay alive in wasm memory until it has run.
pub(super) struct Emit {
    prog: Vec<u32>,
    keys: Vec<&'static str>,
    extras: Array,
    pos: usize,
    /// Arrays made for the result only (split 128-bit columns, joined account text, indexes):
    /// their heap data does not move when they are pushed here.
    made64: Vec<Vec<u64>>,
    made8: Vec<Vec<u8>>,
    made32: Vec<Vec<u32>>,
}

// wasm32: pointers, lengths and offsets are 32 bits, so the `as u32` casts below are exact.
impl Emit {
    pub(super) fn new() -> Self {
        Emit {
            prog: Vec::with_capacity(256),
            keys: Vec::with_capacity(64),
            extras: Array::new(),
            pos: 0,
            made64: Vec::new(),
            made8: Vec::new(),
            made32: Vec::new(),
        }
    }

    fn key(&mut self, k: &'static str) -> u32 {
        match self.keys.iter().position(|&x| x == k) {
            Some(i) => i as u32,
            None => {
                self.keys.push(k);
                (self.keys.len() - 1) as u32
            }
        }
    }

    pub(super) fn open(&mut self) {
        self.prog.push(OPEN);
    }

    pub(super) fn close(&mut self, key: &'static str) {
        let k = self.key(key);
        self.prog.extend_from_slice(&[CLOSE, k]);
    }

    /// `len` values of `kind` at `ptr` in wasm memory, copied to the next aligned range.
    fn array_at(&mut self, key: &'static str, kind: Kind, ptr: *const u8, len: usize) {
        let k = self.key(key);
        self.pos = self.pos.next_multiple_of(kind.size());
        self.prog.extend_from_slice(&[
            ARRAY,
            k,
            kind as u32,
            ptr as usize as u32,
            self.pos as u32,
            len as u32,
        ]);
        self.pos = self.pos.saturating_add(len.saturating_mul(kind.size()));
    }

    pub(super) fn u8s(&mut self, key: &'static str, v: &[u8]) {
        self.array_at(key, Kind::U8, v.as_ptr(), v.len());
    }
    pub(super) fn u16s(&mut self, key: &'static str, v: &[u16]) {
        self.array_at(key, Kind::U16, v.as_ptr().cast(), v.len());
    }
    pub(super) fn u32s(&mut self, key: &'static str, v: &[u32]) {
        self.array_at(key, Kind::U32, v.as_ptr().cast(), v.len());
    }
    pub(super) fn u64s(&mut self, key: &'static str, v: &[u64]) {
        self.array_at(key, Kind::U64, v.as_ptr().cast(), v.len());
    }
    /// The 32 bytes of each account back to back (`AccountId32` is a `[u8; 32]`).
    pub(super) fn account_bytes(&mut self, key: &'static str, v: &[AccountId32]) {
        self.array_at(key, Kind::U8, v.as_ptr().cast(), v.len().saturating_mul(32));
    }

    /// A column made for the result (kept alive until the program runs).
    pub(super) fn made(&mut self, key: &'static str, kind: Kind, v: Vec<u64>) {
        self.array_at(key, kind, v.as_ptr().cast(), v.len());
        self.made64.push(v);
    }

    /// A value made on the Rust side.
    pub(super) fn extra(&mut self, key: &'static str, v: &JsValue) {
        let k = self.key(key);
        let i = self.extras.push(v).saturating_sub(1);
        self.prog.extend_from_slice(&[EXTRA, k, i]);
    }

    /// An account column as text: the distinct accounts joined by `,` and each row's index among
    /// them (empty where every row is its own).
    pub(super) fn accounts(&mut self, key: &'static str, text: Vec<u8>, index: Vec<u32>) {
        let k = self.key(key);
        self.prog.extend_from_slice(&[
            ACCOUNTS,
            k,
            text.as_ptr() as usize as u32,
            text.len() as u32,
            index.as_ptr() as usize as u32,
            index.len() as u32,
        ]);
        self.made8.push(text);
        self.made32.push(index);
    }

    /// Run the program over `root` with a buffer of `total` bytes (at least the arrays' extent).
    pub(super) fn run(self, root: &JsValue, total: usize) -> JsValue {
        let total = total.max(self.pos) as u32;
        column_table(
            &wasm_bindgen::memory(),
            &self.prog,
            &self.keys.join(","),
            total,
            &self.extras,
            root,
        )
    }
}
