/* Bad arguments from C: NULL pointers, invalid UTF-8, over-long and out-of-range values,
 * _free(NULL), and calls after close. Every call returns its documented status with a
 * message; the harness then checks that the simulator's journal saw nothing but the
 * sign-in. */
#include "common.h"

static const char bad_utf8[] = {'7', (char)0xff, '0', 0};

static void expect_message(void) {
    const char *m = ccgw_last_error_message();
    if (!m || !*m) {
        fprintf(stderr, "a failed call left no message\n");
        failures++;
    }
}

int main(void) {
    ccgw_session *s = test_session("601");
    test_sign_in(s);
    char *out = NULL;
    ccgw_conf_list *list = NULL;
    int64_t ids[21] = {0};
    char longbuf[1 << 20];

    /* NULL for each pointer */
    EXPECT_STATUS(ccgw_session_new(NULL, NULL), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_session_sign_in(s, NULL, NULL, NULL), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_session_get_guid(s, NULL), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_session_set_guid(s, NULL), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_session_request(s, NULL, "agentevent/{agentid}", NULL, NULL, &out), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_batch_add_participant(s, NULL, NULL), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_hold_participant(s, NULL, NULL), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_query_conf_infos(s, NULL, 1, NULL, &list), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_query_conf_infos(s, ids, 1, NULL, NULL), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_conf_join(s, NULL, NULL, NULL), CCGW_E_NULL_ARGUMENT);
    EXPECT_STATUS(ccgw_third_party_conf_transmit_num(NULL, NULL), CCGW_E_NULL_ARGUMENT);
    expect_message();

    /* invalid UTF-8 and empty strings */
    EXPECT_STATUS(ccgw_conf_join(s, bad_utf8, NULL, NULL), CCGW_E_INVALID_UTF8);
    expect_message();
    EXPECT_STATUS(ccgw_conf_join(s, "", NULL, NULL), CCGW_E_MISSING_ARGUMENT);
    EXPECT_STATUS(ccgw_session_set_guid(s, bad_utf8), CCGW_E_INVALID_UTF8);

    /* lengths at and past the limits, a 1 MiB string */
    memset(longbuf, 'x', sizeof longbuf - 1);
    longbuf[sizeof longbuf - 1] = 0;
    EXPECT_STATUS(ccgw_conf_join(s, "1-1", longbuf, NULL), CCGW_E_TOO_LONG);
    EXPECT_STATUS(ccgw_conf_join(s, longbuf, NULL, NULL), CCGW_E_TOO_LONG);
    longbuf[16385] = 0;
    EXPECT_STATUS(ccgw_conf_join(s, "1-1", longbuf, NULL), CCGW_E_TOO_LONG);
    EXPECT_STATUS(ccgw_query_conf_infos(s, ids, 21, NULL, &list), CCGW_E_TOO_MANY);
    EXPECT_STATUS(ccgw_query_conf_infos(s, ids, 0, NULL, &list), CCGW_E_MISSING_ARGUMENT);
    EXPECT(list == NULL);

    /* out-of-range integers */
    ccgw_participant p = {CCGW_ADDRESS_PHONE, "70005", 256, CCGW_UNSET};
    ccgw_batch_add_request add;
    ccgw_batch_add_request_init(&add, CCGW_BATCH_ADD_REQUEST_VERSION);
    add.participants = &p;
    add.participant_count = 1;
    EXPECT_STATUS(ccgw_batch_add_participant(s, &add, NULL), CCGW_E_OUT_OF_RANGE);
    p.device_call_type = 0;
    p.address_type = 7;
    EXPECT_STATUS(ccgw_batch_add_participant(s, &add, NULL), CCGW_E_OUT_OF_RANGE);
    add.version = 42;
    EXPECT_STATUS(ccgw_batch_add_participant(s, &add, NULL), CCGW_E_UNSUPPORTED_VERSION);
    EXPECT_STATUS(ccgw_batch_add_request_init(&add, 0), CCGW_E_UNSUPPORTED_VERSION);

    /* _free(NULL) */
    ccgw_string_free(NULL);
    ccgw_conf_list_free(NULL);
    ccgw_sign_in_result_free(NULL);
    ccgw_cancel_free(NULL);
    ccgw_session_free(NULL);

    /* calls after close */
    EXPECT_STATUS(ccgw_session_close(s), CCGW_OK);
    EXPECT_STATUS(ccgw_session_close(s), CCGW_OK);
    EXPECT_STATUS(ccgw_third_party_conf_transmit_num(s, NULL), CCGW_E_CLOSED);
    EXPECT_STATUS(ccgw_query_conf_infos(s, ids, 1, NULL, &list), CCGW_E_CLOSED);
    EXPECT_STATUS(ccgw_session_sign_out(s, NULL), CCGW_E_CLOSED);
    ccgw_session_free(s);
    return test_finish("test_args");
}
