// A C++ program consuming an installed ccgw through CMake (find_package(ccgw) and the
// ccgw::ccgw target) and the C++17 wrapper. Against a gateway (CCGW_URL, CCGW_CA,
// CCGW_PASSWORD; scripts/with-sim provides them): signs agent 402 in, renews its Guid,
// queries its state through the generic request, requests an agent conference and waits
// for it through the event queue, queries it, releases it and signs out.
#include <ccgw.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

using namespace std::chrono_literals;

int main() {
    const char *url = std::getenv("CCGW_URL");
    const char *password = std::getenv("CCGW_PASSWORD");
    if (!url || !password) {
        std::cerr << "set CCGW_URL, CCGW_PASSWORD (and CCGW_CA)\n";
        return 2;
    }
    try {
        ccgw::check_abi();
        std::cout << "C++ consumer: libccgw " << ccgw::version() << " (header " << ccgw::header_version << ")\n";
        {
            ccgw::SessionOptions o;
            o.base_url = url;
            if (const char *ca = std::getenv("CCGW_CA"))
                o.ca_file = ca;
            o.agent_id = "402";
            ccgw::Session s(o);

            ccgw::SignInOptions si;
            si.password = password;
            si.phonenum = "40402";
            si.force = true;
            ccgw::SignInResult r = s.sign_in(si);
            std::cout << "signed in as " << r.work_no << " to " << r.server_name << "\n";
            s.events_start();
            s.update_guid();

            s.request("POST", "agentconf/{agentid}/requestagentconf", std::string("{\"memberNum\":3,\"time\":10}"));
            int64_t conf_id = -1;
            for (int i = 0; i < 40 && conf_id < 0; i++)  // at most 40 x 250 ms
                if (auto ev = s.events_next(250ms); ev && ev->kind == CCGW_EVENT_CONF_REQUEST_SUCCESS)
                    conf_id = ev->conf_id;
            if (conf_id < 0) {
                std::cerr << "AgentConf_RequestSuccess did not arrive\n";
                return 1;
            }
            auto confs = s.query_conf_infos({conf_id});
            if (confs.size() != 1 || confs[0].conf_id != conf_id) {
                std::cerr << "queryConfInfos did not return conference " << conf_id << "\n";
                return 1;
            }
            std::cout << "conference " << conf_id << ": " << confs[0].participants.size() << " participant(s)\n";
            s.request("POST", "agentconf/{agentid}/releaseagentconf");
            s.sign_out();
        }
        ccgw::global_shutdown(2s);
    } catch (const ccgw::Error &e) {
        std::cerr << "failed: status " << e.status() << " retcode '" << e.retcode() << "': " << e.what() << "\n";
        return 1;
    }
    std::cout << "C++ consumer: ok\n";
    return 0;
}
