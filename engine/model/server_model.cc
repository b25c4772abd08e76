#include "engine/model/server_model.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "engine/bdat/bdat.h"
#include "engine/ehlo.h"
#include "engine/esmtp.h"
#include "engine/ext/registry.h"
#include "engine/model/text.h"
#include "engine/wire/verb.h"

namespace smtpspec::model {
namespace {

bool In(int code, std::initializer_list<int> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// Codes any command may get (RFC 5321 4.3.2: "any SMTP command can return
// any of the following codes"), plus the extension codes that any command
// may meet: 530 authentication required (RFC 4954 section 6) and 521 "does
// not accept mail" (RFC 7504).
bool Universal(int code) { return In(code, {421, 500, 501, 530, 521}); }

// Whether the command is well-formed, so that a 500 ("Syntax error,
// command unrecognized", RFC 5321 4.2.2) can only mean "not recognized".
// Lenient where the grammar is (a UTF-8 path may need SMTPUTF8).
bool WellFormed(const Command& command) {
  ArgumentOptions lenient;
  lenient.charset = Charset::kUtf8;
  switch (command.verb) {
    case Verb::kMail:
      return ParseMailArgument(command.argument, lenient).ok();
    case Verb::kRcpt:
      return ParseRcptArgument(command.argument, lenient).ok();
    case Verb::kEhlo:
    case Verb::kHelo:
      return IsDomainOrLiteral(command.argument);
    case Verb::kData:
    case Verb::kRset:
    case Verb::kQuit:
      return command.argument.empty();
    case Verb::kVrfy:
      return !command.argument.empty();
    case Verb::kNoop:
      // NOOP takes any string (4.1.1.9), but a server that refuses one
      // breaks 4.1.1.9's own SHOULD ("servers SHOULD ignore it"), judged
      // there: one reply, one finding, under the narrower rule.
      return command.argument.empty();
    default:
      return true;
  }
}

// Whether the line was a command whose argument may be absent (RSET, QUIT,
// DATA, NOOP, HELP) sent with nothing but white space after its verb:
// "RSET " is read as RSET with an empty argument (the reader splits at the
// first space), so the line's length tells. "EHLO " is not one: it lacks
// its domain. `line_octets` counts the CRLF; 0 means unknown.
bool TrailingBlanks(const Command& command, std::size_t line_octets) {
  switch (command.verb) {
    case Verb::kRset:
    case Verb::kQuit:
    case Verb::kData:
    case Verb::kNoop:
    case Verb::kHelp:
      break;
    default:
      return false;
  }
  if (line_octets == 0 ||
      command.argument.find_first_not_of(" \t") != std::string::npos) {
    return false;
  }
  return line_octets >= command.name.size() + 1 + command.argument.size() + 2;
}

// Whether RFC 5321 4.3.2 lists `code` for `verb`. Returns true for verbs
// the table does not cover, which are judged by their own extensions.
bool Listed(Verb verb, int code) {
  switch (verb) {
    case Verb::kEhlo:
    case Verb::kHelo:
      return In(code, {250, 504, 550, 502});
    case Verb::kMail:
      return In(code, {250, 552, 451, 452, 550, 553, 503, 455, 555});
    case Verb::kRcpt:
      // 556: the domain does not accept mail (RFC 7504 section 3).
      return In(code, {250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455,
                       555, 556});
    case Verb::kData:
      return In(code, {354, 503, 554});
    case Verb::kRset:
    case Verb::kNoop:
      return code == 250;
    case Verb::kVrfy:
      return In(code, {250, 251, 252, 550, 551, 553, 502, 504});
    case Verb::kExpn:
      return In(code, {250, 252, 550, 500, 502, 504});
    case Verb::kHelp:
      return In(code, {211, 214, 502, 504});
    case Verb::kQuit:
      return code == 221;
    case Verb::kStarttls:
      // RFC 3207 4; 500/502 from a server that does not offer it.
      return In(code, {220, 454, 501, 503, 500, 502});
    default:
      return true;
  }
}

using rules::Id;

// RFC 5321 4.5.1: "The following commands MUST be supported": the rule of
// each.
std::string_view MinimumRule(Verb verb) {
  switch (verb) {
    case Verb::kEhlo:
      return Id("rfc5321/4.5.1-ehlo");
    case Verb::kHelo:
      return Id("rfc5321/4.5.1-helo");
    case Verb::kMail:
      return Id("rfc5321/4.5.1-mail");
    case Verb::kRcpt:
      return Id("rfc5321/4.5.1-rcpt");
    case Verb::kData:
      return Id("rfc5321/4.5.1-data");
    case Verb::kRset:
      return Id("rfc5321/4.5.1-rset");
    case Verb::kNoop:
      return Id("rfc5321/4.5.1-noop");
    case Verb::kQuit:
      return Id("rfc5321/4.5.1-quit");
    default:
      return Id("rfc5321/4.5.1-vrfy");
  }
}

std::string Code(int code) { return std::to_string(code); }

}  // namespace

ServerModel::ServerModel(Options options) : options_(std::move(options)) {}

void ServerModel::ResetTransaction() {
  mail_accepted_ = false;
  recipients_accepted_ = 0;
  in_data_ = false;
  chunked_ = false;
  chunk_failed_ = false;
  after_last_ = false;
}

std::vector<Finding> ServerModel::OnGreeting(const Reply& reply) {
  std::vector<Finding> findings;
  switch (reply.code) {
    case 220:
      greeted_ = true;
      // Greeting = "220 " (Domain / address-literal) [ SP textstring ]
      if (!IsDomainOrLiteral(FirstWord(reply))) {
        findings.push_back(
            Broke(Id("rfc5321/4.2-greeting"),
                  "the 220 greeting must begin with the server's domain or "
                  "address literal, not '" +
                      std::string(FirstWord(reply)) + "'"));
      }
      break;
    case 554:
      refused_ = true;  // RFC 5321 3.1: then only QUIT, others get 503
      break;
    case 421:
    case 521:  // RFC 7504
      closing_ = true;
      break;
    default:
      findings.push_back(Broke(
          Id("rfc5321/4.2-greeting"),
          "the connection greeting must be 220 (or 554 to refuse service), "
          "not " +
              Quoted(reply)));
  }
  return findings;
}

std::vector<Finding> ServerModel::JudgeExtensions(const Command& command,
                                                  const Reply& reply) const {
  std::vector<Finding> findings;
  for (const ServerRules* rules : in_force_) {
    rules->Judge(command, reply, findings);
  }
  return findings;
}

std::vector<Finding> ServerModel::OnExchange(const Command& command,
                                             const Reply& reply,
                                             std::size_t line_octets) {
  if (closing_ || quit_answered_) return {};
  std::vector<Finding> findings = JudgeExtensions(command, reply);
  const int code = reply.code;
  const Verb verb = command.verb;
  if (code == 421) {  // RFC 5321 3.8: allowed in reply to any command
    closing_ = true;
    return findings;
  }
  // RFC 5321 4.1.1: "SMTP receivers SHOULD tolerate trailing white space
  // before the terminating <CRLF>." A command refused for trailing blanks
  // alone ("RSET ") with a syntax error breaks that SHOULD, not the verb's
  // MUST reply.
  if (TrailingBlanks(command, line_octets) && In(code, {500, 501}) &&
      !refused_) {
    findings.push_back(Broke(Id("rfc5321/4.1.1-trailing-space"),
                             command.name +
                                 " with white space before its CRLF should "
                                 "be tolerated, not answered " +
                                 Quoted(reply)));
    return findings;
  }

  // RFC 5321 4.3.2: "producing a 'command not recognized' error in response
  // to the required subset of these commands is a violation"; 500 is only
  // right for those when the line was too long (4.5.3.1.4).
  const bool long_line = line_octets > 512;
  if (wire::InMinimumImplementation(verb) && code == 500 && !long_line &&
      WellFormed(command)) {
    findings.push_back(
        Broke(Id("rfc5321/4.3.2-required-not-500"),
              command.name +
                  " is in the minimum implementation (4.5.1), but the "
                  "well-formed command got " +
                  Quoted(reply) +
                  ": 500 is the code for a command not recognized (4.2.2)"));
  }
  if (wire::InMinimumImplementation(verb) && code == 502) {
    // VRFY included: 4.5.1 lists it among the commands that MUST be
    // supported. A server that will not verify answers 252 (3.5.3).
    findings.push_back(Broke(
        MinimumRule(verb),
        command.name +
            " is in the minimum implementation and must be "
            "supported, but the server answered " +
            Quoted(reply) +
            (verb == Verb::kVrfy ? " (a server that will not verify answers "
                                   "252, RFC 5321 3.5.3)"
                                 : "")));
  }

  // A server that greeted with 554 SHOULD answer everything but QUIT with
  // 503 (RFC 5321 3.1).
  if (refused_ && verb != Verb::kQuit) {
    if (code != 503) {
      findings.push_back(
          Broke(Id("rfc5321/3.1-554-then-503"),
                "after a 554 greeting the server should answer " +
                    command.name + " with 503, not " + Quoted(reply)));
    }
    return findings;
  }

  switch (verb) {
    case Verb::kEhlo:
    case Verb::kHelo:
      // RFC 5321 4.1.4: "If the EHLO command is not acceptable to the SMTP
      // server, 501, 500, 502, or 550 failure replies MUST be returned"
      // (4.3.2 adds 504). A 503 "bad sequence" to a second EHLO is not
      // one of them: a later EHLO is legal and resets the state.
      if (code / 100 >= 4 && !In(code, {500, 501, 502, 504, 550}) &&
          !Universal(code)) {
        findings.push_back(Broke(
            Id("rfc5321/4.1.4-ehlo-refused"),
            command.name + " was refused with " + Quoted(reply) +
                "; a refusal must be 501, 500, 502 or 550" +
                (code == 503 && session_open_
                     ? " (an EHLO later in the session is legal: it resets "
                       "the state as RSET does)"
                     : "")));
      }
      if (code == 250) {
        // RFC 5321 4.1.4: an accepted EHLO resets the state as RSET does.
        ResetTransaction();
        session_open_ = true;
        // Read as a client reads it (engine/ehlo.h kLenient): the domain
        // is the first word, whatever follows; the keywords after it.
        const EhloResponse hello = ParseEhlo(reply, EhloMode::kLenient);
        if (verb == Verb::kEhlo) {
          // The rules of every extension the reply advertises, from its
          // module (engine/ext); a later HELO withdraws none of them.
          in_force_.clear();
          for (const ext::Extension* module : ext::All()) {
            if (module->server_rules() != nullptr &&
                FindKeyword(hello, module->keyword()) != nullptr) {
              in_force_.push_back(module->server_rules());
            }
          }
        }
        if (!IsDomainOrLiteral(hello.domain)) {
          findings.push_back(
              Broke(Id("rfc5321/4.1.1.1-ehlo-server"),
                    "the 250 reply to " + command.name +
                        " must begin with the server's domain, not '" +
                        hello.domain + "'"));
        }
      }
      break;
    case Verb::kMail:
      if (code == 250) {
        mail_accepted_ = true;
        recipients_accepted_ = 0;
        after_last_ = false;
      }
      break;
    case Verb::kRcpt:
      if (!mail_accepted_) {
        // RFC 5321 3.3: "If a RCPT command appears without a previous MAIL
        // command, the server MUST return a 503".
        if (code / 100 == 2) {
          findings.push_back(Broke(Id("rfc5321/3.3-rcpt-needs-mail"),
                                   "RCPT was accepted with " + Code(code) +
                                       " although no MAIL command was "
                                       "accepted; the reply must be 503 (see "
                                       "also 4.1.4)"));
        } else if (code != 503 && code != 500 && code != 501) {
          findings.push_back(Broke(Id("rfc5321/3.3-rcpt-needs-mail"),
                                   "RCPT without an accepted MAIL must get "
                                   "503 'bad sequence of commands', not " +
                                       Quoted(reply)));
        }
        return findings;
      }
      // A refusal of the mailbox itself; a syntax or parameter error
      // (501, 555) or a sequence error (503) is about the command.
      if ((code == 550 || code == 551 || code == 553 || code == 554) &&
          IsPostmasterRecipient(command.argument, options_.served_domains)) {
        findings.push_back(
            Broke(Id("rfc5321/4.5.1-postmaster-rcpt"),
                  "mail to postmaster must be accepted, but RCPT " +
                      command.argument + " got " + Quoted(reply)));
      }
      if ((code == 452 || code == 552) && recipients_accepted_ < 100 &&
          MentionsRecipients(reply)) {
        findings.push_back(
            Broke(Id("rfc5321/4.5.3.1.8-100-recipients"),
                  "recipients were refused as too many after only " +
                      std::to_string(recipients_accepted_) +
                      " were accepted; at least 100 must be buffered"));
      }
      if (code == 250 || code == 251) ++recipients_accepted_;
      break;
    case Verb::kData:
      if (code == 354 && (!mail_accepted_ || recipients_accepted_ == 0)) {
        findings.push_back(Broke(
            Id("rfc5321/3.3-order-server"),
            std::string("DATA got 354 although ") +
                (mail_accepted_ ? "no RCPT was accepted"
                                : "no MAIL was accepted") +
                "; a transaction out of order must get 503 (or 554, 3.3)"));
      }
      if (chunked_ && !chunk_failed_ && code != 503 && !Universal(code)) {
        findings.push_back(
            Broke(Id("rfc3030/2-no-mixing"),
                  "DATA after an accepted BDAT in the same transaction "
                  "must get 503 'bad sequence of commands', not " +
                      Quoted(reply)));
      }
      if (code == 354) in_data_ = true;
      break;
    case Verb::kBdat:
      JudgeBdat(command, reply, findings);
      break;
    case Verb::kRset:
      // RFC 5321 4.1.1.5: "The receiver MUST send a '250 OK' reply to a
      // RSET command with no arguments."
      if (code == 250) {
        ResetTransaction();
      } else if (command.argument.empty() && !BeforeEhlo503(code)) {
        findings.push_back(Broke(Id("rfc5321/4.1.1.5-250"),
                                 "RSET must get 250, not " + Quoted(reply)));
      }
      break;
    case Verb::kNoop:
      // RFC 5321 4.1.1.9: "The receiver MUST send a '250 OK' reply", and
      // "If a parameter string is specified, servers SHOULD ignore it": a
      // refused NOOP with a parameter breaks the SHOULD only.
      if (code != 250 && command.argument.empty() && !BeforeEhlo503(code)) {
        findings.push_back(Broke(Id("rfc5321/4.1.1.9-noop-250"),
                                 "NOOP must get 250, not " + Quoted(reply)));
      } else if (code != 250 && !BeforeEhlo503(code)) {
        findings.push_back(Broke(Id("rfc5321/4.1.1.9-noop-parameter"),
                                 "NOOP with a parameter should get 250 (the "
                                 "parameter ignored), not " +
                                     Quoted(reply)));
      }
      break;
    case Verb::kQuit:
      // RFC 5321 4.1.1.10: the receiver MUST send 221 and then close. A
      // QUIT with an argument SHOULD get 501 instead (4.3.2).
      if (code == 221) {
        quit_answered_ = true;
      } else if (command.argument.empty()) {
        findings.push_back(Broke(Id("rfc5321/4.1.1.10-221-close"),
                                 "QUIT must get 221, not " + Quoted(reply)));
      } else if (code != 501) {
        // "QUIT" takes no argument: the MUST is for QUIT itself; with an
        // argument 4.3.2 asks for 501 (SHOULD).
        findings.push_back(Broke(Id("rfc5321/4.3.2-501-arguments"),
                                 "QUIT with an argument should get 501 (or "
                                 "221), not " +
                                     Quoted(reply)));
      }
      break;
    default:
      break;
  }

  // Anything else off the 4.3.2 list: replies outside the specification's
  // codes leave clients guessing (4.2.1 asks for RFC 3463 codes instead of
  // new reply codes). A RSET with arguments may get 501 (4.3.2).
  const bool rset_with_argument =
      (verb == Verb::kRset || verb == Verb::kQuit) &&
      !command.argument.empty() && code == 501;
  if (findings.empty() && !Listed(verb, code) && !Universal(code) &&
      !rset_with_argument && !BeforeEhlo503(code)) {
    findings.push_back(Broke(Id("rfc5321/4.3.2-sequences"),
                             Quoted(reply) +
                                 " is not among the replies RFC 5321 4.3.2 "
                                 "lists for " +
                                 command.name));
  }
  // NOOP, VRFY, EXPN, HELP and RSET should work before EHLO (4.1.4).
  if (!session_open_ && code == 503 &&
      (verb == Verb::kNoop || verb == Verb::kVrfy || verb == Verb::kExpn ||
       verb == Verb::kHelp || verb == Verb::kRset)) {
    findings.push_back(
        Broke(Id("rfc5321/4.1.4-before-ehlo-no-503"),
              command.name +
                  " should be processed normally before EHLO, not answered " +
                  Quoted(reply)));
  }
  return findings;
}

void ServerModel::JudgeBdat(const Command& command, const Reply& reply,
                            std::vector<Finding>& findings) {
  const int code = reply.code;
  const Result<bdat::Argument> argument = bdat::ParseArgument(command.argument);
  // A malformed BDAT may get 501 or anything else; after a failed chunk the
  // state is indeterminate (RFC 3030 2). Neither is judged.
  if (!argument.ok() || chunk_failed_) return;
  const bool open = mail_accepted_ && recipients_accepted_ > 0;
  if (after_last_ && !open) {
    // RFC 3030 2: "Any BDAT command sent after the BDAT LAST is illegal and
    // MUST be replied to with a 503 "Bad sequence of commands" reply code."
    if (code != 503 && !Universal(code)) {
      findings.push_back(Broke(Id("rfc3030/2-after-last"),
                               "BDAT after BDAT LAST must get 503 'bad "
                               "sequence of commands', not " +
                                   Quoted(reply)));
    }
    return;
  }
  if (code / 100 == 2 && !open) {
    // As DATA's 354 out of order (RFC 5321 4.1.4): BDAT carries the data
    // of a transaction (RFC 3030 2, RFC 5321 3.3).
    findings.push_back(Broke(
        Id("rfc5321/3.3-order-server"),
        std::string("BDAT got ") + Code(code) + " although " +
            (mail_accepted_ ? "no RCPT was accepted" : "no MAIL was accepted") +
            "; message data out of order must be refused (503, RFC 3030 2)"));
    return;
  }
  if (!open) return;
  if (code / 100 != 2) {
    chunk_failed_ = true;
  } else if (argument->last) {
    // The message is complete and the transaction over.
    ResetTransaction();
    after_last_ = true;
  } else {
    chunked_ = true;
  }
}

std::vector<Finding> ServerModel::OnDataEnd(const Reply& reply) {
  if (!in_data_ || closing_) return {};
  Command data{Verb::kData, "DATA", ""};
  std::vector<Finding> findings = JudgeExtensions(data, reply);
  // RFC 5321 4.3.2, DATA: after the data, S: 250; E: 552, 554, 451, 452,
  // and 450, 550 for policy rejections.
  if (!In(reply.code, {250, 552, 554, 451, 452, 450, 550, 421})) {
    findings.push_back(Broke(Id("rfc5321/4.3.2-data-end-replies"),
                             Quoted(reply) +
                                 " is not among the replies RFC 5321 4.3.2 "
                                 "lists after the end of data"));
  }
  if (reply.code == 421) closing_ = true;
  // The transaction is over whatever the outcome (4.1.1.4).
  ResetTransaction();
  return findings;
}

void ServerModel::OnTlsStarted() {
  // RFC 3207 4.2: both sides discard what they knew; EHLO comes again.
  ResetTransaction();
  session_open_ = false;
  in_force_.clear();
}

std::vector<Finding> ServerModel::OnClose() {
  if (quit_answered_ || closing_) return {};
  closing_ = true;
  // RFC 5321 4.1.1.10: "The receiver MUST NOT intentionally close the
  // transmission channel until it receives and replies to a QUIT command";
  // 3.8 allows it only after 421 or a timeout.
  return {Broke(Id("rfc5321/3.8-no-close"),
                "the server closed the connection before QUIT was answered "
                "and without a 421 reply (see also 4.1.1.10)")};
}

}  // namespace smtpspec::model
