# Pure codec and timing tests (CONTRACT.md §2, §3): no sockets, no timers.
# Both receive paths: widget-server's (Protocol, QJsonValue) and the console's (Wire).
agent_console_add_test(tst_protocol
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_protocol.cpp
    LIBRARIES agentconsole_protocol agentconsole_net)
agent_console_add_test(tst_retryschedule
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_retryschedule.cpp
    LIBRARIES agentconsole_net)
# Engine.IO long-polling payloads and Socket.IO binary placeholders (the server's polling transport).
agent_console_add_test(tst_protocol_polling
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_protocol_polling.cpp
    LIBRARIES agentconsole_protocol)
# The console's JSON decoders (Wire): packets and REST bodies straight into its types.
agent_console_add_test(tst_wirejson
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_wirejson.cpp
    LIBRARIES agentconsole_net)
