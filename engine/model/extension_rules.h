// The model rules a service extension contributes (issue 14). A module in
// engine/ext hands the server model its rules (ext::Extension::
// server_rules()); the model judges them on every reply while the server
// has advertised the module's keyword in its last EHLO response, and only
// then: what an extension requires binds a server that offers it (RFC
// 5321 2.2.2). Rules are stateless; the model keeps what is in force.
#ifndef SMTPSPEC_ENGINE_MODEL_EXTENSION_RULES_H_
#define SMTPSPEC_ENGINE_MODEL_EXTENSION_RULES_H_

#include <vector>

#include "engine/command.h"
#include "engine/model/finding.h"
#include "engine/reply.h"

namespace smtpspec::model {

class ServerRules {
 public:
  virtual ~ServerRules() = default;

  // The server's reply to `command`; after the end of DATA content the
  // command is DATA (RFC 5321 4.3.2). Adds a finding for each rule broken.
  virtual void Judge(const Command& command, const Reply& reply,
                     std::vector<Finding>& findings) const = 0;
};

}  // namespace smtpspec::model

#endif  // SMTPSPEC_ENGINE_MODEL_EXTENSION_RULES_H_
