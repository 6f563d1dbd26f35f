//! A 4-lane f32 vector: `core::arch::wasm32` `v128` (f32x4) when compiled for wasm32 with
//! simd128, otherwise a portable `[f32; 4]` with the same per-lane IEEE semantics. Mul and add
//! stay separate (no fused multiply-add), so every lane rounds exactly like the scalar code.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::{
        f32x4_add, f32x4_extract_lane, f32x4_max, f32x4_mul, f32x4_splat, v128, v128_load,
        v128_store,
    };

    /// Four f32 lanes in one wasm `v128`.
    #[derive(Clone, Copy)]
    pub struct F32x4(v128);

    impl F32x4 {
        /// Whether this is real hardware SIMD (wasm simd128).
        pub const NATIVE: bool = true;
        /// All lanes `v`.
        #[inline(always)]
        pub fn splat(v: f32) -> Self {
            F32x4(f32x4_splat(v))
        }
        /// Load 4 values.
        #[inline(always)]
        pub fn load(a: &[f32; 4]) -> Self {
            // SAFETY: `a` is a valid, readable 16-byte region; v128_load allows any alignment.
            F32x4(unsafe { v128_load(a.as_ptr().cast::<v128>()) })
        }
        /// Store 4 values.
        #[inline(always)]
        pub fn store(self, a: &mut [f32; 4]) {
            // SAFETY: `a` is a valid, writable 16-byte region; v128_store allows any alignment.
            unsafe { v128_store(a.as_mut_ptr().cast::<v128>(), self.0) }
        }
        /// Lane-wise a + b.
        #[inline(always)]
        pub fn add(self, b: Self) -> Self {
            F32x4(f32x4_add(self.0, b.0))
        }
        /// Lane-wise a * b.
        #[inline(always)]
        pub fn mul(self, b: Self) -> Self {
            F32x4(f32x4_mul(self.0, b.0))
        }
        /// Lane-wise max (used for ReLU with 0).
        #[inline(always)]
        pub fn max(self, b: Self) -> Self {
            F32x4(f32x4_max(self.0, b.0))
        }
        /// Lane 0 (for tests).
        #[inline(always)]
        pub fn first(self) -> f32 {
            f32x4_extract_lane::<0>(self.0)
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    /// Four f32 lanes (portable stand-in with the same rounding as wasm f32x4).
    #[derive(Clone, Copy)]
    pub struct F32x4([f32; 4]);

    impl F32x4 {
        /// Whether this is real hardware SIMD (wasm simd128).
        pub const NATIVE: bool = false;
        /// All lanes `v`.
        #[inline(always)]
        pub fn splat(v: f32) -> Self {
            F32x4([v; 4])
        }
        /// Load 4 values.
        #[inline(always)]
        pub fn load(a: &[f32; 4]) -> Self {
            F32x4(*a)
        }
        /// Store 4 values.
        #[inline(always)]
        pub fn store(self, a: &mut [f32; 4]) {
            *a = self.0;
        }
        /// Lane-wise a + b.
        #[inline(always)]
        pub fn add(self, b: Self) -> Self {
            let (a, b) = (self.0, b.0);
            F32x4([a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]])
        }
        /// Lane-wise a * b.
        #[inline(always)]
        pub fn mul(self, b: Self) -> Self {
            let (a, b) = (self.0, b.0);
            F32x4([a[0] * b[0], a[1] * b[1], a[2] * b[2], a[3] * b[3]])
        }
        /// Lane-wise max (used for ReLU with 0).
        #[inline(always)]
        pub fn max(self, b: Self) -> Self {
            let (a, b) = (self.0, b.0);
            F32x4([
                a[0].max(b[0]),
                a[1].max(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ])
        }
        /// Lane 0 (for tests).
        #[inline(always)]
        pub fn first(self) -> f32 {
            self.0[0]
        }
    }
}

pub use imp::F32x4;
