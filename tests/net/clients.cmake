agent_console_add_test(tst_widgetapiclient
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_widgetapiclient.cpp
    LIBRARIES agentconsole_net Qt6::HttpServer)
agent_console_add_test(tst_socketioclient
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_socketioclient.cpp
    LIBRARIES agentconsole_net agentconsole_server)
# Uploads and media downloads against the real widget-server (CONTRACT.md §5).
agent_console_add_test(tst_mediatransfer
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_mediatransfer.cpp
    LIBRARIES agentconsole_net agentconsole_server)
