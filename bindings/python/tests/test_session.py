"""Sign-in, sign-out and the Guid, against the simulator."""

from __future__ import annotations

import ccgw
from conftest import PASSWORD, Sim, phone_of


def test_sign_in_returns_result_and_sets_guid(session: ccgw.Session, agent_id: str) -> None:
    assert session.guid is None
    result = session.sign_in(PASSWORD, phone_of(agent_id))
    assert isinstance(result, ccgw.SignInResult)
    assert result.work_no == agent_id
    assert result.forced is False
    guid = session.guid
    assert guid and ".AgentGateway" in guid
    session.sign_out()
    assert session.guid is None


def test_sign_in_force_takes_over_a_signed_in_agent(sim: Sim, session: ccgw.Session, agent_id: str) -> None:
    session.sign_in(PASSWORD, phone_of(agent_id))
    with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as other:
        try:
            other.sign_in(PASSWORD, phone_of(agent_id))
        except ccgw.GatewayError as e:
            assert e.status == ccgw.constants.CCGW_E_GW_ALREADY_SIGNED_IN
            assert e.retcode == "100-002"
        else:
            raise AssertionError("a second sign-in without force succeeded")
        result = other.sign_in(PASSWORD, phone_of(agent_id), force=True)
        assert result.forced is True
        assert other.guid != session.guid
        other.sign_out()


def test_update_guid_replaces_the_guid(session: ccgw.Session, agent_id: str) -> None:
    session.sign_in(PASSWORD, phone_of(agent_id))
    before = session.guid
    session.update_guid()
    after = session.guid
    assert after and after != before
    session.sign_out()


def test_set_guid_attaches_a_guid_from_elsewhere(sim: Sim, session: ccgw.Session, agent_id: str) -> None:
    session.sign_in(PASSWORD, phone_of(agent_id))
    guid = session.guid
    assert guid
    with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as second:
        assert second.guid is None
        second.set_guid(guid)
        assert second.guid == guid
        # The attached Guid is accepted by the gateway: a query through the second session.
        assert second.query_conf_infos([1]) == []
    session.sign_out()


def test_sign_out_without_guid_raises_not_signed_in(session: ccgw.Session) -> None:
    try:
        session.sign_out()
    except ccgw.NotSignedInError as e:
        assert e.status == ccgw.constants.CCGW_E_NOT_SIGNED_IN
    else:
        raise AssertionError("sign_out without a Guid succeeded")


def test_wrong_password_is_a_gateway_refusal_with_retcode(session: ccgw.Session, agent_id: str) -> None:
    try:
        session.sign_in("not-the-password", phone_of(agent_id))
    except ccgw.GatewayError as e:
        assert e.status == ccgw.constants.CCGW_E_GW_WRONG_CREDENTIALS
        assert e.retcode == "100-004"
        assert e.http_status == 200
        assert e.message
    else:
        raise AssertionError("sign-in with a wrong password succeeded")
