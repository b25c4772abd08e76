"""The layer check names every link that goes up, and only those."""

import check

XML = """<?xml version="1.1" encoding="UTF-8"?>
<query version="2">
  <rule class="cc_library" name="//engine/server">
    <list name="deps"><label value="//engine/wire"/></list>
  </rule>
  <rule class="cc_library" name="//engine/model:model">
    <list name="deps"><label value="//parser:scenario"/></list>
  </rule>
  <rule class="cc_library" name="//interpreter:player">
    <list name="deps"><label value="//engine/server"/>
      <label value="//agents:loop"/></list>
    <list name="data"><label value="//cli:smtpspec_cli"/></list>
  </rule>
  <rule class="cc_test" name="//interpreter:corpus_test">
    <list name="deps"><label value="//cli:commands"/></list>
  </rule>
  <rule class="cc_test" name="//engine:loopback_test">
    <list name="deps"><label value="//interpreter:player"/></list>
  </rule>
</query>
"""


def test_upward_links_are_named():
    assert check.upward(XML) == [
        "//engine/model:model (layer 1) -> //parser:scenario (layer 2)",
        "//engine:loopback_test (layer 1) -> //interpreter:player (layer 4)",
    ]


def test_layers():
    assert check.layer("//util:json_writer") == 0
    assert check.layer("//engine/sasl:plain") == 1
    assert check.layer("//cli:smtpspec_cli") == 5
    assert check.layer("//third_party:gtest") is None
    assert check.layer("@yaml//:yaml") is None


HEADERS = """<?xml version="1.1" encoding="UTF-8"?>
<query version="2">
  <rule class="cc_library" name="//engine/server:server">
    <list name="srcs"><label value="//engine/server:machine.cc"/>
      <label value="//engine/server:params.h"/></list>
    <list name="hdrs"><label value="//engine/server:machine.h"/></list>
  </rule>
  <rule class="cc_test" name="//engine/server:params_test">
    <list name="srcs"><label value="//engine/server:params_test.cc"/></list>
  </rule>
  <rule class="cc_library" name="//agents/server:backend">
    <list name="srcs"><label value="//agents/server:backend.cc"/>
      <label value="@yaml//:yaml.h"/></list>
  </rule>
</query>
"""

SOURCES = {
    "engine/server/machine.cc": '#include "engine/server/params.h"\n',
    "engine/server/params_test.cc": '#include "engine/server/params.h"\n',
    "agents/server/backend.cc": ('#include "engine/server/machine.h"\n'
                                 '  #  include "engine/server/params.h"\n'),
}


def test_a_private_header_is_named_where_another_package_includes_it():
    found = check.private_includes(HEADERS, lambda p: SOURCES.get(p, ""))
    assert found == ["agents/server/backend.cc includes "
                     "engine/server/params.h (private to //engine/server)"]
