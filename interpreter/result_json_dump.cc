// Test support for result_json_test.py: plays two scenarios in memory and
// prints their results as JSON lines, so the Python side can check the
// C++ serialisation against the schema validator in reports/.
#include <iostream>

#include "interpreter/in_memory.h"
#include "interpreter/result_json.h"

int main() {
  using smtpspec::interp::testing::Play;
  using smtpspec::interp::testing::ScriptedServer;
  {
    ScriptedServer peer(
        "220 mx.example ready\r\n",
        {"250 mx.example\r\n", "250 caf\xe9 ok\r\n", "221 bye\r\n"});
    std::cout << smtpspec::interp::ToJson(Play(R"(---
id: dump.ok
rfc: ["RFC 5321 4.1.1.9"]
tags: [minimum]
---
S: 220 *
C: EHLO x.example
S: 250 *
C! "NOOP \xe9t\xe9\r\n"
S: 250 *
C: QUIT
S: 221 *
)",
                                               peer))
              << "\n";
  }
  {
    ScriptedServer peer("220 mx.example ready\r\n",
                        {"250 mx.example\r\n", "250 OK\r\n"});
    std::cout << smtpspec::interp::ToJson(Play(R"(---
id: dump.rcpt-before-mail
rfc: ["RFC 5321 3.3"]
---
S: 220 *
C: EHLO x.example
S: 250 *
C: RCPT TO:<a@x.example>
S: 2xx *
)",
                                               peer))
              << "\n";
  }
  {
    // The enum fields' names: a SHOULD scenario for both sides, over
    // implicit TLS.
    ScriptedServer peer("220 mx.example ready\r\n", {"250 OK\r\n"});
    smtpspec::interp::PlayerOptions options;
    options.target.tls = smtpspec::interp::TargetTls::kImplicit;
    std::cout << smtpspec::interp::ToJson(Play(R"(---
id: dump.names
rfc: ["RFC 5321 4.1.1.9"]
level: SHOULD
tests: both
---
S: 220 *
C: NOOP
S: 250 *
)",
                                               peer, options))
              << "\n";
  }
  return 0;
}
