//! The live conference view: the session's model of each agent conference it chairs or
//! is in, kept from the events as they arrive and from the session's own successful
//! operations, reconciled with `queryconfinfos` on request.
//!
//! The event pump shows every event to [`ConfModel::observe`] before it queues it for the
//! application, so a snapshot taken after taking an event reflects that event. The model
//! also carries the session's invite trackers ([`crate::invites`]), which learn from the
//! same events.
//!
//! What the events tell (reference §4.4, §5, §7; sim/README.md "Event sequences"):
//!
//! | event | effect |
//! |---|---|
//! | `AgentConf_SelfJoinResult` | the agent is in the conference: as chair after its own `requestagentconf`, else as participant (then the other members are unknown: `synced` false until a resync) |
//! | `AgentConf_RequestSuccess` | the chair's conference is granted; its start time is the event's time |
//! | `AgentConf_RequestFailed` | the application is dropped |
//! | `AgentConf_ParticipantChanged` `result` 0 | changeType 0 joined (join time = the event's time), 1 left, 2 became chair, 3 muted, 4 unmuted, 5 held, 6 unheld |
//! | `AgentConf_PresidentChanged` | this agent is the chair |
//! | `AgentConf_Timeout` | the warning point passed (`timeout_warned`) |
//! | `AgentConf_StopVoice` / `_StopParticipantVoice` | the announcement ended |
//! | `AgentConf_SelfLeaveResult`, `AgentOther_ShutdownService` | the conference is gone from the view |
//!
//! What events cannot tell, and how the view says so:
//! * a mute/unmute event says whether the participant can speak, not its exact
//!   `channelAttrib`: the session's own mode changes are known exactly (their events are
//!   matched and change nothing more); for a change by someone else the view takes 1
//!   (muted: listen only) or 3 (unmuted: both) when the class changed, keeps the old value
//!   when it did not, and marks it `attrib_inferred` either way;
//! * `AgentConf_StopParticipantVoice` does not name the participant: the session's own
//!   stops are counted (their events change nothing more); an announcement ending by
//!   itself is the one playing, and with several playing the conference is marked unsynced;
//! * changes about this agent made by others (the gateway sends `ParticipantChanged` to
//!   the other participants only) reach the view through a resync;
//! * a conference the agent joined as an invitee (or first heard of from a
//!   `ParticipantChanged`) starts with what this session saw, marked unsynced.
//!
//! [`Session::resync_conf_view`] replaces the view of every known conference by the
//! gateway's `queryconfinfos` answer ("resync now", the entry point for gap recovery).

use crate::agentconf::ConfInfo;
use crate::error::Result;
use crate::events::{Event, EventKind};
use crate::invites;
use crate::session::{CallOptions, Session};
use std::sync::{Mutex, Weak};
use std::time::{SystemTime, UNIX_EPOCH};

/// A participant as the view knows it (the fields of `queryconfinfos` Table 6, and what
/// this session knows beyond them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewParticipant {
    /// 6 phone number, 9 agent id.
    pub address_type: i32,
    pub address: String,
    pub device_call_type: i32,
    pub device_type: i32,
    /// 1 listen only, 2 speak only, 3 both, 4 neither.
    pub channel_attrib: i32,
    /// `channel_attrib` was inferred from a mute/unmute event, not set by this session or
    /// read from the gateway.
    pub attrib_inferred: bool,
    /// Held (`holdparticipant`: it hears the hold announcement).
    pub held: bool,
    /// The announcement it hears while held, when this session held it; else empty.
    pub hold_voice_path: String,
    /// An announcement plays to it (`playvoicetoparticipant`).
    pub announcement: bool,
    /// 0 participant, 1 chair.
    pub role: i32,
    /// When it joined, ms since the epoch (the gateway's `enterTime` after a resync; before
    /// that the time of the event that reported it).
    pub enter_time: i64,
    /// This is the session's own agent.
    pub is_self: bool,
}

impl ViewParticipant {
    /// `channelState` as the gateway reports it: 1 held, 2 announcement playing, 0 talking.
    pub fn channel_state(&self) -> i32 {
        if self.held {
            1
        } else if self.announcement {
            2
        } else {
            0
        }
    }

    fn is(&self, address_type: i64, address: &str) -> bool {
        i64::from(self.address_type) == address_type && self.address == address
    }
}

/// One conference as the view knows it. Numbers it does not know are -1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfView {
    pub conf_id: i64,
    /// The conference is established (`AgentConf_RequestSuccess` for the chair).
    pub granted: bool,
    /// Everything the gateway would report is known (no gap, nothing inferred at
    /// conference level); false after joining as an invitee until a resync.
    pub synced: bool,
    /// This agent is the chair.
    pub is_chair: bool,
    /// 0 normal, 1 an announcement plays to the conference.
    pub conf_state: i32,
    /// ms since the epoch.
    pub start_time: i64,
    /// Applied duration in minutes (requested `time`, plus `prolongtime`).
    pub apply_conf_time: i32,
    /// Minutes since the start (computed when the snapshot is taken).
    pub conf_have_been_time: i32,
    /// Member places (`memberNum` of the request, changed by `modifyconfresource`).
    pub member_num: i32,
    /// `AgentConf_Timeout` arrived (the end is near; `prolongtime` answers it).
    pub timeout_warned: bool,
    /// Joined participants in the order they joined (the chair included).
    pub participants: Vec<ViewParticipant>,
}

impl ConfView {
    fn find(&self, address_type: i64, address: &str) -> Option<usize> {
        self.participants.iter().position(|p| p.is(address_type, address))
    }
}

/// What the view knows of the conference the agent chairs (-1: unknown).
pub(crate) struct Chaired {
    pub conf_id: i64,
    pub apply_conf_time: i32,
    pub member_num: i32,
    /// The joined participants' (address type, address).
    pub present: Vec<(i64, String)>,
}

/// A change the session made itself (applied once the gateway accepted it).
#[derive(Clone, Debug)]
pub(crate) enum Local {
    /// `requestagentconf` is about to be sent.
    Requesting {
        time: i32,
        member_num: i32,
    },
    /// It failed: no conference is coming.
    RequestAborted,
    Released,
    Left,
    Rejected,
    Removed(Vec<(i64, String)>),
    Held {
        address_type: i64,
        address: String,
        voice_path: String,
    },
    Unheld {
        address_type: i64,
        address: String,
    },
    Mode {
        address_type: i64,
        address: String,
        attribute: i32,
    },
    ChairTo(String),
    Prolonged(i32),
    ConfAnnouncement(bool),
    ParticipantAnnouncement {
        address_type: i64,
        address: String,
        playing: bool,
    },
    Resource(i32),
    /// A `stopvoicetoconf` (`participant` false) or `stopvoicetoparticipant` is about to be
    /// sent: the StopVoice event it causes is not an announcement ending by itself.
    StopSent {
        participant: bool,
    },
    /// That stop failed: no event of it is coming.
    StopFailed {
        participant: bool,
    },
    /// A `changeparticipantmode` for this participant is about to be sent: its mute/unmute
    /// event is this session's own change.
    ModeSent {
        address_type: i64,
        address: String,
    },
    /// That change failed.
    ModeFailed {
        address_type: i64,
        address: String,
    },
}

struct State {
    confs: Vec<ConfView>,
    requesting: Option<(i32, i32)>,
    /// Conferences that rang this agent (`AgentConf_Ringing`), not yet joined.
    ringing: Vec<i64>,
    trackers: Vec<Weak<invites::Shared>>,
    /// Bumped by every event that changes a conference (a resync retries when it moved).
    changes: u64,
    /// StopVoice / StopParticipantVoice events this session's own stops will cause.
    own_conf_stops: u32,
    own_participant_stops: u32,
    /// Participants whose mute/unmute event this session's own mode changes will cause.
    own_modes: Vec<(i64, String)>,
}

/// The session's conference model. One per session (`Session::0.confs`).
pub struct ConfModel {
    agent_id: String,
    state: Mutex<State>,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// When the gateway generated an event, else when the library received it.
fn event_time(e: &Event) -> i64 {
    if e.gen_time > 0 {
        e.gen_time
    } else {
        e.received_time
    }
}

impl ConfModel {
    pub fn new(agent_id: &str) -> ConfModel {
        ConfModel {
            agent_id: agent_id.trim().to_string(),
            state: Mutex::new(State {
                confs: Vec::new(),
                requesting: None,
                ringing: Vec::new(),
                trackers: Vec::new(),
                changes: 0,
                own_conf_stops: 0,
                own_participant_stops: 0,
                own_modes: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn me(&self, time: i64, role: i32) -> ViewParticipant {
        ViewParticipant {
            address_type: 9,
            address: self.agent_id.clone(),
            device_call_type: 0,
            device_type: 0,
            channel_attrib: 3,
            attrib_inferred: false,
            held: false,
            hold_voice_path: String::new(),
            announcement: false,
            role,
            enter_time: time,
            is_self: true,
        }
    }

    fn new_conf(&self, conf_id: i64, as_chair: bool, synced: bool, time: i64, req: Option<(i32, i32)>) -> ConfView {
        ConfView {
            conf_id,
            granted: !as_chair,
            synced,
            is_chair: as_chair,
            conf_state: 0,
            start_time: -1,
            apply_conf_time: req.map_or(-1, |r| r.0),
            conf_have_been_time: -1,
            member_num: req.map_or(-1, |r| r.1),
            timeout_warned: false,
            participants: vec![self.me(time, i32::from(as_chair))],
        }
    }

    /// The conference `conf_id`, created (unsynced, as a participant) when this is the
    /// first the session hears of it.
    fn conf_mut<'a>(&self, st: &'a mut State, conf_id: i64, time: i64) -> &'a mut ConfView {
        let i = match st.confs.iter().position(|c| c.conf_id == conf_id) {
            Some(i) => i,
            None => {
                st.confs.push(self.new_conf(conf_id, false, false, time, None));
                st.confs.len() - 1
            }
        };
        &mut st.confs[i]
    }

    /// Shows the model an event before it is queued; returns the library events it causes
    /// (the invite trackers' reports), to be queued after it.
    pub fn observe(&self, e: &Event) -> Vec<Event> {
        let mut out = Vec::new();
        let mut st = self.lock();
        let time = event_time(e);
        let changed = match e.kind {
            EventKind::ConfSelfJoinResult if e.conf_id >= 0 => {
                if !st.confs.iter().any(|c| c.conf_id == e.conf_id) {
                    let as_chair = st.requesting.is_some() && !st.ringing.contains(&e.conf_id);
                    let req = if as_chair { st.requesting } else { None };
                    let c = self.new_conf(e.conf_id, as_chair, as_chair, time, req);
                    st.confs.push(c);
                }
                st.ringing.retain(|&r| r != e.conf_id);
                true
            }
            EventKind::ConfRequestSuccess if e.conf_id >= 0 => {
                let req = st.requesting.take();
                let known = st.confs.iter().any(|c| c.conf_id == e.conf_id);
                if !known {
                    let c = self.new_conf(e.conf_id, true, req.is_some(), time, req);
                    st.confs.push(c);
                }
                let c = self.conf_mut(&mut st, e.conf_id, time);
                c.granted = true;
                c.is_chair = true;
                c.start_time = time;
                true
            }
            EventKind::ConfRequestFailed => {
                st.requesting = None;
                st.confs.retain(|c| c.granted || !c.is_chair);
                true
            }
            EventKind::ConfRinging if e.conf_id >= 0 => {
                if !st.ringing.contains(&e.conf_id) {
                    st.ringing.push(e.conf_id);
                }
                false
            }
            EventKind::ConfSelfLeaveResult => {
                st.confs.retain(|c| c.conf_id != e.conf_id);
                st.ringing.retain(|&r| r != e.conf_id);
                true
            }
            EventKind::ShutdownService => {
                st.confs.clear();
                st.ringing.clear();
                st.requesting = None;
                true
            }
            EventKind::ConfPresidentChanged if e.conf_id >= 0 => {
                let me = self.agent_id.clone();
                let c = self.conf_mut(&mut st, e.conf_id, time);
                set_chair(c, 9, &me);
                true
            }
            EventKind::ConfTimeout => {
                if let Some(c) = st.confs.iter_mut().find(|c| c.conf_id == e.conf_id) {
                    c.timeout_warned = true;
                }
                true
            }
            // The answer to the session's own stop: its success updates the view (a later
            // play must not be undone by this event arriving late).
            EventKind::ConfStopVoice if st.own_conf_stops > 0 => {
                st.own_conf_stops -= 1;
                false
            }
            EventKind::ConfStopParticipantVoice if st.own_participant_stops > 0 => {
                st.own_participant_stops -= 1;
                false
            }
            // An announcement ended by itself.
            EventKind::ConfStopVoice => {
                if let Some(c) = st.confs.iter_mut().find(|c| c.is_chair) {
                    c.conf_state = 0;
                }
                true
            }
            EventKind::ConfStopParticipantVoice => {
                if let Some(c) = st.confs.iter_mut().find(|c| c.is_chair) {
                    let playing: Vec<usize> =
                        (0..c.participants.len()).filter(|&i| c.participants[i].announcement).collect();
                    match playing.as_slice() {
                        [] => {}
                        [one] => c.participants[*one].announcement = false,
                        _ => c.synced = false,
                    }
                }
                true
            }
            EventKind::ConfParticipantChanged if e.result == 0 && e.conf_id >= 0 => {
                let key = (e.participant_type, e.participant.trim().to_string());
                let own_mode = matches!(e.change_type, 3 | 4)
                    && st.own_modes.iter().position(|m| *m == key).map(|i| st.own_modes.remove(i)).is_some();
                let c = self.conf_mut(&mut st, e.conf_id, time);
                self.participant_changed(c, e, time, own_mode);
                true
            }
            _ => false,
        };
        if changed {
            st.changes += 1;
        }
        st.trackers.retain(|t| t.strong_count() > 0);
        for t in st.trackers.iter().filter_map(Weak::upgrade) {
            t.observe(e, &mut out);
        }
        out
    }

    /// Applies a `ParticipantChanged`; `own_mode`: it is the echo of this session's own
    /// `changeparticipantmode`.
    fn participant_changed(&self, c: &mut ConfView, e: &Event, time: i64, own_mode: bool) {
        let who = e.participant.trim();
        let t = e.participant_type;
        let found = c.find(t, who);
        match (e.change_type, found) {
            (0, None) => c.participants.push(ViewParticipant {
                address_type: t as i32,
                address: who.to_string(),
                device_call_type: e.device_call_type.max(0) as i32,
                device_type: e.device_type.max(0) as i32,
                channel_attrib: 3,
                attrib_inferred: false,
                held: false,
                hold_voice_path: String::new(),
                announcement: false,
                role: 0,
                enter_time: time,
                is_self: t == 9 && who == self.agent_id,
            }),
            (0, Some(_)) => {}
            (1, Some(i)) if !c.participants[i].is_self => {
                c.participants.remove(i);
            }
            (1, _) => {}
            (2, Some(_)) => set_chair(c, t, who),
            // The echo of the session's own mode change: its success sets the mode.
            (3 | 4, Some(_)) if own_mode => {}
            // Someone else changed the mode: the event says whether it can speak, not the
            // exact mode. A change of class takes the usual value of the class (muted: listen
            // only; unmuted: both); within the class the old value stays, marked inferred.
            (3 | 4, Some(i)) => {
                let p = &mut c.participants[i];
                let speaks = matches!(p.channel_attrib, 2 | 3);
                if e.change_type == 3 && speaks {
                    p.channel_attrib = 1;
                } else if e.change_type == 4 && !speaks {
                    p.channel_attrib = 3;
                }
                p.attrib_inferred = true;
            }
            (5, Some(i)) => c.participants[i].held = true,
            (6, Some(i)) => {
                c.participants[i].held = false;
                c.participants[i].hold_voice_path.clear();
            }
            // A change about someone the view does not know: it missed something.
            (2..=6, None) => c.synced = false,
            _ => {}
        }
    }

    /// Applies a change the session made (the gateway accepted it).
    pub(crate) fn local(&self, change: Local) {
        let mut st = self.lock();
        let me = self.agent_id.clone();
        match change {
            Local::Requesting { time, member_num } => st.requesting = Some((time, member_num)),
            Local::RequestAborted => st.requesting = None,
            Local::Released => st.confs.retain(|c| !c.is_chair),
            Local::Left => st.confs.retain(|c| c.is_chair),
            Local::Rejected => {}
            Local::StopSent { participant: true } => st.own_participant_stops += 1,
            Local::StopSent { participant: false } => st.own_conf_stops += 1,
            Local::StopFailed { participant: true } => {
                st.own_participant_stops = st.own_participant_stops.saturating_sub(1)
            }
            Local::StopFailed { participant: false } => st.own_conf_stops = st.own_conf_stops.saturating_sub(1),
            Local::ModeSent { address_type, address } => st.own_modes.push((address_type, address)),
            Local::ModeFailed { address_type, address } => {
                if let Some(i) = st.own_modes.iter().position(|m| *m == (address_type, address.clone())) {
                    st.own_modes.remove(i);
                }
            }
            change => {
                let Some(c) = st.confs.iter_mut().find(|c| c.is_chair) else { return };
                match change {
                    Local::Removed(list) => {
                        for (t, a) in list {
                            if let Some(i) = c.find(t, &a) {
                                c.participants.remove(i);
                            }
                        }
                    }
                    Local::Held { address_type, address, voice_path } => {
                        if let Some(i) = c.find(address_type, &address) {
                            c.participants[i].held = true;
                            c.participants[i].hold_voice_path = voice_path;
                        }
                    }
                    Local::Unheld { address_type, address } => {
                        if let Some(i) = c.find(address_type, &address) {
                            c.participants[i].held = false;
                            c.participants[i].hold_voice_path.clear();
                        }
                    }
                    Local::Mode { address_type, address, attribute } => {
                        if let Some(i) = c.find(address_type, &address) {
                            c.participants[i].channel_attrib = attribute;
                            c.participants[i].attrib_inferred = false;
                        }
                    }
                    Local::ChairTo(agent) => {
                        set_chair(c, 9, &agent);
                        c.is_chair = agent == me;
                    }
                    Local::Prolonged(min) if c.apply_conf_time >= 0 => c.apply_conf_time += min,
                    Local::ConfAnnouncement(on) => c.conf_state = i32::from(on),
                    Local::ParticipantAnnouncement { address_type, address, playing } => {
                        if let Some(i) = c.find(address_type, &address) {
                            c.participants[i].announcement = playing;
                        }
                    }
                    Local::Resource(delta) if c.member_num >= 0 => c.member_num += delta,
                    _ => {}
                }
            }
        }
    }

    /// A consistent copy of every conference in the view.
    pub fn snapshot(&self) -> Vec<ConfView> {
        let st = self.lock();
        let now = now_ms();
        st.confs
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.conf_have_been_time =
                    if c.start_time > 0 { ((now - c.start_time).max(0) / 60_000) as i32 } else { -1 };
                c
            })
            .collect()
    }

    /// The agent signed out (the pump stops first, so no `AgentOther_ShutdownService`
    /// reaches the view): its conferences are gone, pending invitations end.
    pub(crate) fn signed_out(&self) {
        let trackers: Vec<_> = {
            let mut st = self.lock();
            st.confs.clear();
            st.ringing.clear();
            st.requesting = None;
            st.changes += 1;
            st.trackers.drain(..).filter_map(|t| t.upgrade()).collect()
        };
        trackers.iter().for_each(|t| t.end_now());
    }

    /// Marks every conference unsynced (for a gap in the event stream: the HA work calls
    /// this, then [`Session::resync_conf_view`]).
    pub fn mark_unsynced(&self) {
        let mut st = self.lock();
        st.confs.iter_mut().for_each(|c| c.synced = false);
    }

    /// The conference this agent chairs, as far as the view knows it.
    pub(crate) fn chaired(&self) -> Option<Chaired> {
        let st = self.lock();
        let c = st.confs.iter().find(|c| c.is_chair)?;
        let present = c.participants.iter().map(|p| (i64::from(p.address_type), p.address.clone())).collect();
        Some(Chaired { conf_id: c.conf_id, apply_conf_time: c.apply_conf_time, member_num: c.member_num, present })
    }

    pub(crate) fn track(&self, t: Weak<invites::Shared>) {
        self.lock().trackers.push(t);
    }

    /// What a resync asks for, and the change counter it starts from.
    pub(crate) fn resync_start(&self, extra: &[i64]) -> (Vec<i64>, u64) {
        let st = self.lock();
        let mut ids: Vec<i64> = st.confs.iter().map(|c| c.conf_id).collect();
        for id in extra {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        (ids, st.changes)
    }

    /// Replaces the view of the asked conferences by the gateway's answer. Returns false
    /// (changing nothing) when events changed the view since `stamp` and `force` is off: the
    /// answer may predate them.
    pub(crate) fn reconcile(&self, asked: &[i64], answer: &[ConfInfo], stamp: u64, force: bool) -> bool {
        let mut st = self.lock();
        if st.changes != stamp && !force {
            return false;
        }
        let clean = st.changes == stamp;
        for id in asked {
            let pos = st.confs.iter().position(|c| c.conf_id == *id);
            let Some(info) = answer.iter().find(|c| c.conf_id == *id) else {
                // Not reported: the conference ended (or this agent is no longer in it).
                if let Some(i) = pos {
                    st.confs.remove(i);
                }
                continue;
            };
            let me_in = info.participants.iter().any(|p| p.address_type == 9 && p.address == self.agent_id);
            if pos.is_none() && !me_in {
                continue;
            }
            let old = pos.map(|i| st.confs[i].clone());
            let participants: Vec<ViewParticipant> = info
                .participants
                .iter()
                .map(|p| {
                    let before = old
                        .as_ref()
                        .and_then(|c| c.find(i64::from(p.address_type), &p.address).map(|i| &c.participants[i]));
                    ViewParticipant {
                        address_type: p.address_type,
                        address: p.address.clone(),
                        device_call_type: p.device_call_type,
                        device_type: p.device_type,
                        channel_attrib: p.channel_attrib,
                        attrib_inferred: false,
                        held: p.channel_state == 1,
                        hold_voice_path: if p.channel_state == 1 {
                            before.map(|b| b.hold_voice_path.clone()).unwrap_or_default()
                        } else {
                            String::new()
                        },
                        announcement: p.channel_state == 2
                            || before.is_some_and(|b| b.announcement && p.channel_state == 1),
                        role: p.role,
                        enter_time: p.enter_time,
                        is_self: p.address_type == 9 && p.address == self.agent_id,
                    }
                })
                .collect();
            let is_chair = participants.iter().any(|p| p.is_self && p.role == 1);
            let view = ConfView {
                conf_id: info.conf_id,
                granted: true,
                synced: clean,
                is_chair,
                conf_state: info.conf_state,
                start_time: info.start_time,
                apply_conf_time: info.apply_conf_time,
                conf_have_been_time: -1,
                member_num: old.as_ref().map_or(-1, |c| c.member_num),
                timeout_warned: old.as_ref().is_some_and(|c| c.timeout_warned),
                participants,
            };
            match pos {
                Some(i) => st.confs[i] = view,
                None => st.confs.push(view),
            }
        }
        true
    }
}

/// `who` becomes the chair; everyone else a participant.
fn set_chair(c: &mut ConfView, address_type: i64, who: &str) {
    let mut found = false;
    for p in c.participants.iter_mut() {
        let is = p.is(address_type, who);
        p.role = i32::from(is);
        found |= is;
    }
    if !found {
        c.synced = false;
    }
    c.is_chair = c.participants.iter().any(|p| p.is_self && p.role == 1);
}

/// How many times a resync asks again when events moved the view meanwhile.
const RESYNC_ATTEMPTS: usize = 3;

impl Session {
    /// A consistent copy of the live conference view.
    pub fn conf_view(&self) -> Vec<ConfView> {
        self.0.confs.snapshot()
    }

    /// Reconciles the view with the gateway: `queryconfinfos` for every conference in the
    /// view and for `extra` ids (added when the answer lists this agent), 20 ids per request.
    /// Conferences the gateway no longer reports leave the view. When events change the
    /// view while the answer is on its way, it asks again (up to 3 times), then applies the
    /// last answer with the conferences marked unsynced.
    pub async fn resync_conf_view(&self, extra: &[i64], opts: &CallOptions) -> Result<()> {
        if self.is_closed() {
            return Err(crate::error::Error::new(
                crate::status::CCGW_E_CLOSED,
                "queryConfInfos: the session is closed",
            ));
        }
        for attempt in 1..=RESYNC_ATTEMPTS {
            let (ids, stamp) = self.0.confs.resync_start(extra);
            if ids.is_empty() {
                return Ok(());
            }
            let mut answer = Vec::new();
            for chunk in ids.chunks(crate::agentconf::QUERY_MAX_IDS) {
                answer.extend(self.query_conf_infos(chunk, opts).await?);
            }
            if self.0.confs.reconcile(&ids, &answer, stamp, attempt == RESYNC_ATTEMPTS) {
                return Ok(());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn ev(t: &str, content: Value, gen: i64) -> Event {
        Event::parse(&json!({"eventType": t, "workNo": "101", "content": content, "eventGenTime": gen}))
    }

    fn pc(conf: i64, who: &str, t: i64, change_type: i64) -> Event {
        ev(
            "AgentConf_ParticipantChanged",
            json!({"result": 0, "changeType": change_type, "changeReason": 255, "confId": conf,
                   "participant": who, "participantType": t, "deviceCallType": 1, "deviceType": 2}),
            1_000,
        )
    }

    fn chaired(m: &ConfModel) -> ConfView {
        m.local(Local::Requesting { time: 30, member_num: 5 });
        m.observe(&ev("AgentConf_SelfJoinResult", json!({"confId": 7}), 500));
        m.observe(&ev("AgentConf_RequestSuccess", json!({"confId": 7}), 510));
        m.snapshot().remove(0)
    }

    #[test]
    fn the_chair_conference_from_its_events() {
        let m = ConfModel::new("101");
        let c = chaired(&m);
        assert_eq!(
            (c.conf_id, c.granted, c.synced, c.is_chair, c.start_time, c.apply_conf_time, c.member_num),
            (7, true, true, true, 510, 30, 5)
        );
        assert_eq!(c.participants.len(), 1);
        assert!(c.participants[0].is_self && c.participants[0].role == 1);
        m.observe(&pc(7, "70005", 6, 0));
        m.observe(&pc(7, "154", 9, 0));
        m.observe(&pc(7, "70005", 6, 5));
        m.observe(&pc(7, "154", 9, 3));
        let c = m.snapshot().remove(0);
        let p = &c.participants[1];
        assert_eq!(
            (p.address.as_str(), p.device_call_type, p.device_type, p.channel_state(), p.enter_time),
            ("70005", 1, 2, 1, 1_000)
        );
        assert_eq!((c.participants[2].channel_attrib, c.participants[2].attrib_inferred), (1, true));
        m.local(Local::ModeSent { address_type: 9, address: "154".into() });
        m.local(Local::Mode { address_type: 9, address: "154".into(), attribute: 4 });
        m.observe(&pc(7, "154", 9, 3)); // the event of that change, arriving late
        let c = m.snapshot().remove(0);
        assert_eq!((c.participants[2].channel_attrib, c.participants[2].attrib_inferred), (4, false));
        m.observe(&pc(7, "154", 9, 3)); // someone else: still muted, now only inferred
        let c = m.snapshot().remove(0);
        assert_eq!((c.participants[2].channel_attrib, c.participants[2].attrib_inferred), (4, true));
        m.observe(&pc(7, "154", 9, 2));
        let c = m.snapshot().remove(0);
        assert!(!c.is_chair && c.participants[2].role == 1 && c.participants[0].role == 0);
        m.observe(&pc(7, "70005", 6, 1));
        assert_eq!(m.snapshot()[0].participants.len(), 2);
        m.observe(&ev("AgentConf_SelfLeaveResult", json!({"confId": 7}), 2_000));
        assert!(m.snapshot().is_empty());
    }

    #[test]
    fn an_invitee_conference_is_unsynced_until_a_resync() {
        let m = ConfModel::new("154");
        m.observe(&ev("AgentConf_Ringing", json!({"confId": 9}), 1));
        m.observe(&ev("AgentConf_SelfJoinResult", json!({"confId": 9}), 2));
        let c = m.snapshot().remove(0);
        assert!(!c.is_chair && !c.synced && c.granted);
        let (ids, stamp) = m.resync_start(&[]);
        assert_eq!(ids, vec![9]);
        let info = crate::agentconf::parse_conf_list(Some(&json!([{"confId": 9, "confState": 0, "startTime": 5,
            "applyConfTime": 60, "confHaveBeenTime": 0, "addresses": [
              {"addressType": "9", "address": "101", "deviceCallType": 0, "deviceType": 0, "channelAttrib": 3, "channelState": 0, "role": 1, "enterTime": 5},
              {"addressType": "9", "address": "154", "deviceCallType": 0, "deviceType": 0, "channelAttrib": 2, "channelState": 2, "role": 0, "enterTime": 6}]}])))
        .unwrap();
        m.observe(&pc(9, "70005", 6, 0)); // an event while the answer travels
        assert!(!m.reconcile(&ids, &info, stamp, false));
        assert!(m.reconcile(&ids, &info, stamp, true));
        let c = m.snapshot().remove(0);
        assert!(!c.synced, "applied over newer events: still unsynced");
        let (ids, stamp) = m.resync_start(&[]);
        assert!(m.reconcile(&ids, &info, stamp, false));
        let c = m.snapshot().remove(0);
        assert!(c.synced && c.participants.len() == 2 && c.participants[1].announcement && c.participants[1].is_self);
        assert!(m.reconcile(&ids, &[], stamp, false));
        assert!(m.snapshot().is_empty(), "a conference the gateway no longer reports leaves the view");
    }

    #[test]
    fn stop_participant_voice_names_no_one() {
        let m = ConfModel::new("101");
        chaired(&m);
        m.observe(&pc(7, "70005", 6, 0));
        m.observe(&pc(7, "70006", 6, 0));
        for a in ["70005", "70006"] {
            m.local(Local::ParticipantAnnouncement { address_type: 6, address: a.into(), playing: true });
        }
        m.observe(&ev("AgentConf_StopParticipantVoice", json!({"result": 0}), 3));
        assert!(!m.snapshot()[0].synced);
        m.local(Local::ParticipantAnnouncement { address_type: 6, address: "70006".into(), playing: false });
        m.observe(&ev("AgentConf_StopParticipantVoice", json!({"result": 0}), 4));
        assert!(m.snapshot()[0].participants.iter().all(|p| !p.announcement));
        // The session's own stop: its event (before or after the answer) clears nothing else.
        for a in ["70005", "70006"] {
            m.local(Local::ParticipantAnnouncement { address_type: 6, address: a.into(), playing: true });
        }
        m.local(Local::StopSent { participant: true });
        m.observe(&ev("AgentConf_StopParticipantVoice", json!({"result": 0}), 5));
        m.local(Local::ParticipantAnnouncement { address_type: 6, address: "70005".into(), playing: false });
        let c = m.snapshot().remove(0);
        assert_eq!(c.participants.iter().map(|p| p.announcement).collect::<Vec<_>>(), vec![false, false, true]);
        // A conference stop's late event does not undo a newer play.
        m.local(Local::StopSent { participant: false });
        m.local(Local::ConfAnnouncement(false));
        m.local(Local::ConfAnnouncement(true));
        m.observe(&ev("AgentConf_StopVoice", json!({"result": 0}), 6));
        assert_eq!(m.snapshot()[0].conf_state, 1);
        m.observe(&ev("AgentConf_StopVoice", json!({"result": 0}), 7));
        assert_eq!(m.snapshot()[0].conf_state, 0, "an announcement ending by itself");
    }
}
