//! Path-parallel runs of the stake-return model ([`super::returns`]): a run can cover a
//! contiguous range of the query's Monte Carlo paths (a *shard*, one per Web Worker), export what
//! it computed as a [`ReturnPartial`], and [`merge_partials`] turns the partials of shards that
//! cover every path once into the report a single run gives, bit for bit.
//!
//! Why the merge is exact: path `i` draws from `Rng::for_path(seed, i)`, a function of the seed
//! and the path index only, so it computes the same [`PathOut`] in any shard; the report is a
//! function of the query, the runtime, the subnet sources and the list of path results in path
//! order (integer sums, sorted percentiles), and the merge rebuilds exactly that list.
//!
//! Partials cross threads as bytes (JSON of [`ReturnPartial`], [`PARTIAL_FORMAT`] 1), so a page
//! can transfer them without copying and the merge reads them as untrusted input: decode errors,
//! mismatched runs, gaps, overlaps and unfinished shards are refused with a stable code.

use super::default_net::SubnetSource;
use super::returns::{PathOut, ReturnQuery, ReturnReport, ReturnRun};
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::RuntimeInfo;

/// Version of the partial's byte format.
pub const PARTIAL_FORMAT: u32 = 1;

/// What one finished shard computed: the paths `first .. first + outs.len()` of a run, and what
/// the report needs besides them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReturnPartial {
    /// [`PARTIAL_FORMAT`].
    pub format: u32,
    /// The whole run's query (`paths` = every shard's paths together).
    pub query: ReturnQuery,
    /// The runtime whose rules the shard ran under.
    pub runtime: RuntimeInfo,
    /// Where the query's subnets come from (see [`ReturnRun::sources`]).
    pub sources: Vec<(u16, SubnetSource)>,
    /// The shard's first path.
    pub first: u32,
    /// One result per path, in path order.
    pub outs: Vec<PathOut>,
}

impl ReturnRun {
    /// Restrict the run to paths `first .. first + count` of the query's `paths`.
    pub fn with_paths(mut self, first: u32, count: u32) -> Result<ReturnRun> {
        let paths = self.query.paths;
        if first >= paths {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "pathStart",
                format!("0 to {} (paths − 1)", paths.saturating_sub(1)),
            ));
        }
        if count == 0 || count > paths - first {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "pathCount",
                format!("1 to {} (paths − pathStart)", paths - first),
            ));
        }
        self.first = first;
        self.count = count;
        self.outs.clear();
        Ok(self)
    }

    /// [`with_paths`](Self::with_paths) with either bound optional: neither is the whole run, a
    /// missing start is the first path and a missing count the rest of the paths from the start.
    pub fn with_shard(self, first: Option<u32>, count: Option<u32>) -> Result<ReturnRun> {
        if first.is_none() && count.is_none() {
            return Ok(self);
        }
        let first = first.unwrap_or(0);
        let count = count.unwrap_or_else(|| self.query.paths.saturating_sub(first));
        self.with_paths(first, count)
    }

    /// The shard's result, once every path of its range has run.
    pub fn partial(&self) -> Result<ReturnPartial> {
        if self.outs.len() != self.count as usize {
            return Err(Error::new(
                ErrorCode::OutOfRange,
                format!(
                    "the run has done {} of its {} paths",
                    self.outs.len(),
                    self.count
                ),
            ));
        }
        Ok(ReturnPartial {
            format: PARTIAL_FORMAT,
            query: self.query.clone(),
            runtime: self.runtime.clone(),
            sources: self.sources.clone(),
            first: self.first,
            outs: self.outs.clone(),
        })
    }
}

impl ReturnPartial {
    /// The partial as bytes (JSON).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("partial: {e}")))
    }

    /// Read a partial from bytes (untrusted: any error is `INVALID_JSON` on `field`).
    pub fn from_bytes(bytes: &[u8], field: &str) -> Result<ReturnPartial> {
        let p: ReturnPartial = serde_json::from_slice(bytes).map_err(|e| {
            Error::field(
                ErrorCode::InvalidJson,
                field,
                format!("not a stake-model partial: {e}"),
            )
        })?;
        if p.format != PARTIAL_FORMAT {
            return Err(Error::field(
                ErrorCode::Unsupported,
                field,
                format!(
                    "partial format {} (this engine reads {PARTIAL_FORMAT})",
                    p.format
                ),
            ));
        }
        Ok(p)
    }
}

/// Split `paths` into at most `shards` contiguous ranges `(first, count)` that differ in size by at
/// most one (the larger ones first); never an empty range.
pub fn split_paths(paths: u32, shards: u32) -> Vec<(u32, u32)> {
    let k = shards.clamp(1, paths.max(1));
    let (base, extra) = (paths / k, paths % k);
    let mut first = 0u32;
    (0..k)
        .filter_map(|i| {
            let count = base + u32::from(i < extra);
            let range = (first, count);
            first = first.saturating_add(count);
            (count > 0).then_some(range)
        })
        .collect()
}

/// Merge the partials of shards that together cover each of the query's paths exactly once (in
/// any order) into the report of one run over all paths. `field` names the argument in errors.
pub fn merge_partials(mut parts: Vec<ReturnPartial>, field: &str) -> Result<ReturnReport> {
    let bad = |msg: String| Error::field(ErrorCode::OutOfRange, field, msg);
    parts.sort_by_key(|p| p.first);
    let Some(head) = parts.first() else {
        return Err(bad("no partials".into()));
    };
    let (query, runtime, sources): (ReturnQuery, RuntimeInfo, Vec<(u16, SubnetSource)>) = (
        head.query.clone(),
        head.runtime.clone(),
        head.sources.clone(),
    );
    let len = head.outs.first().map(|p| p.values.len());
    // Sized by what the partials hold, never by their (untrusted) query.
    let mut outs = Vec::with_capacity(parts.iter().map(|p| p.outs.len()).sum());
    for p in parts {
        if p.query != query || p.runtime != runtime || p.sources != sources {
            return Err(bad(format!(
                "the partial from path {} belongs to another run (query, runtime or network differ)",
                p.first
            )));
        }
        if p.first as usize != outs.len() || p.outs.is_empty() {
            return Err(bad(format!(
                "partials must cover paths 0..{} once each: expected path {} next, got a shard from path {} of {} paths",
                query.paths,
                outs.len(),
                p.first,
                p.outs.len()
            )));
        }
        if p.outs
            .iter()
            .any(|o| Some(o.values.len()) != len || o.alpha.len() != o.values.len())
        {
            return Err(bad(format!(
                "the partial from path {} has series of another length",
                p.first
            )));
        }
        outs.extend(p.outs);
        if outs.len() > query.paths as usize {
            break;
        }
    }
    if outs.len() != query.paths as usize {
        return Err(bad(format!(
            "partials cover {} paths, the run has {}",
            outs.len(),
            query.paths
        )));
    }
    let run = ReturnRun {
        count: query.paths,
        query,
        markets: Vec::new(),
        outs,
        first: 0,
        runtime,
        sources,
    };
    Ok(run.report())
}

#[cfg(test)]
#[path = "shards_tests.rs"]
mod tests;
