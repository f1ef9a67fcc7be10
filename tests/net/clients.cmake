agent_console_add_test(tst_widgetapiclient
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_widgetapiclient.cpp
    LIBRARIES agentconsole_net Qt6::HttpServer)
agent_console_add_test(tst_socketioclient
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_socketioclient.cpp
    LIBRARIES agentconsole_net agentconsole_server)
