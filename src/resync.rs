//! Resynchronisation: after a gap in the event stream the application needs the truth,
//! not the stream. [`Session::snapshot`] builds it from the documented query interfaces:
//! the agent's CTI status (`agentstatus`, reference §3.5), its calls (`callinfo` for the
//! current call and `holdlist` for the held ones, reference §6), and the conferences it is
//! in (`queryvdnconfid` for an inspector's conference ids, plus the ids the live view
//! knows; then `queryconfinfos`, reference §5). Each part says whether it could be
//! fetched; a part that failed leaves the others usable. The live conference view is
//! reconciled from the answer. The event pump fetches one after a gap when
//! `resync_after_gap` is set (`crate::events`).

use crate::agentconf::{ConfInfo, QUERY_MAX_IDS};
use crate::calldata::CallInfo;
use crate::error::{Error, Result};
use crate::onlineagent::AgentStatus;
use crate::session::{CallOptions, Session};
use crate::status::*;

/// One of the agent's calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotCall {
    pub info: CallInfo,
    /// On hold (listed by `holdlist`); otherwise the current call (`callinfo`).
    pub held: bool,
}

/// The agent's state as the gateway reports it. Each `*_status` is `CCGW_OK` when that
/// part was fetched, else the status of the query that failed (its part is then empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// When the queries started, ms since the epoch.
    pub taken_at: i64,
    pub agent_status_status: ccgw_status,
    pub agent_status: AgentStatus,
    /// The first failure of `callinfo` / `holdlist` (`400-003`, nothing held, is no failure).
    pub calls_status: ccgw_status,
    /// Held calls first (oldest first), then the current call when it is not held.
    pub calls: Vec<SnapshotCall>,
    /// `queryvdnconfid`: `CCGW_E_GW_NOT_INSPECTOR` (`101-004`) for an agent that is not an
    /// inspector; then only the conferences the live view knows were asked about.
    pub conf_ids_status: ccgw_status,
    pub conferences_status: ccgw_status,
    /// The conferences the agent is a participant of, with their participants.
    pub conferences: Vec<ConfInfo>,
}

impl Snapshot {
    /// One line for logs and the Snapshot event's message: counts and statuses, no call
    /// data.
    pub fn summary(&self) -> String {
        format!(
            "snapshot: agent state {} (status {}), {} call(s) (status {}), {} conference(s) (status {}, ids {})",
            self.agent_status.agent_state,
            self.agent_status_status,
            self.calls.len(),
            self.calls_status,
            self.conferences.len(),
            self.conferences_status,
            self.conf_ids_status
        )
    }
}

/// Most conference ids a snapshot accepts from `queryvdnconfid` (at most 100
/// `queryconfinfos` requests); a longer list sets `conf_ids_status` to
/// `CCGW_E_MALFORMED_RESPONSE` and only the live view's conferences are asked about.
const SNAPSHOT_MAX_CONF_IDS: usize = 2000;

/// Cancellation and close end a snapshot; any other failure is its part's status.
fn part<T>(r: Result<T>) -> Result<std::result::Result<T, ccgw_status>> {
    match r {
        Err(e) if e.status == CCGW_E_CANCELLED || e.status == CCGW_E_CLOSED => Err(e),
        Err(e) => Ok(Err(e.status)),
        Ok(v) => Ok(Ok(v)),
    }
}

impl Session {
    /// Fetches a [`Snapshot`] (four requests plus one `queryconfinfos` per 20 conference
    /// ids, one after the other, each within
    /// the session's request timeout unless `opts` says otherwise) and reconciles the live
    /// conference view from it. Fails only when nothing can be asked: no Guid
    /// (`CCGW_E_NOT_SIGNED_IN`, nothing sent), closed, cancelled.
    pub async fn snapshot(&self, opts: &CallOptions) -> Result<Snapshot> {
        if self.is_closed() {
            return Err(Error::new(CCGW_E_CLOSED, "snapshot: the session is closed"));
        }
        if self.guid().is_none() {
            return Err(Error::new(CCGW_E_NOT_SIGNED_IN, "snapshot: the session has no Guid; sign in first"));
        }
        let taken_at = crate::events::now_ms();
        let (agent_status_status, agent_status) = match part(self.agent_status(opts).await)? {
            Ok(s) => (CCGW_OK, s),
            Err(st) => (st, AgentStatus { agent_state: -1, is_working: None }),
        };
        let mut calls_status = CCGW_OK;
        let mut calls: Vec<SnapshotCall> = match part(self.hold_list(opts).await)? {
            Ok(held) => held.into_iter().map(|info| SnapshotCall { info, held: true }).collect(),
            Err(CCGW_E_GW_NO_HELD_CALLS) => Vec::new(),
            Err(st) => {
                calls_status = st;
                Vec::new()
            }
        };
        match part(self.call_info(None, opts).await)? {
            Ok(Some(info)) => {
                if !calls.iter().any(|c| c.info.callid == info.callid) {
                    calls.push(SnapshotCall { info, held: false });
                }
            }
            Ok(None) => {}
            Err(st) => {
                if calls_status == CCGW_OK {
                    calls_status = st;
                }
            }
        }
        // The conferences: the ids the view knows, and an inspector's whole VDN.
        let (mut ids, stamp) = self.0.confs.resync_start(&[]);
        let conf_ids_status = match part(self.query_vdn_conf_ids(opts).await)? {
            // An answer is not trusted for its size: a list longer than any VDN holds
            // would otherwise cost one `queryconfinfos` per 20 ids.
            Ok(all) if all.len() > SNAPSHOT_MAX_CONF_IDS => CCGW_E_MALFORMED_RESPONSE,
            Ok(all) => {
                let mut seen: std::collections::HashSet<i64> = ids.iter().copied().collect();
                ids.extend(all.into_iter().filter(|id| seen.insert(*id)));
                CCGW_OK
            }
            Err(st) => st,
        };
        let mut conferences_status = CCGW_OK;
        let mut answer: Vec<ConfInfo> = Vec::new();
        for chunk in ids.chunks(QUERY_MAX_IDS) {
            match part(self.query_conf_infos(chunk, opts).await)? {
                Ok(confs) => answer.extend(confs),
                Err(st) => {
                    conferences_status = st;
                    break;
                }
            }
        }
        if conferences_status == CCGW_OK && !ids.is_empty() {
            // The answer may predate events that arrived meanwhile: then the view marks
            // what it took from it unsynced.
            self.0.confs.reconcile(&ids, &answer, stamp, true);
        }
        let me = self.agent_id().to_string();
        let conferences = if conferences_status == CCGW_OK {
            answer
                .into_iter()
                .filter(|c| c.participants.iter().any(|p| p.address_type == 9 && p.address == me))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Snapshot {
            taken_at,
            agent_status_status,
            agent_status,
            calls_status,
            calls,
            conf_ids_status,
            conferences_status,
            conferences,
        })
    }
}
