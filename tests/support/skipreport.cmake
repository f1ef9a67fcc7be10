# How ctest reports a Qt Test suite that skips, checked on skipprobe (-DPROBE=<its path>) against
# -DSKIPPED=<the SKIP_REGULAR_EXPRESSION every suite has, tests/CMakeLists.txt>: a missing dependency is
# Skipped, and Failed with AGENT_CONSOLE_REQUIRE_ALL=1; a failure beside a skip is Failed.
set(problems "")

# Runs the probe with the NAME=VALUE pairs given; `expected` is what ctest would say of it.
function(check expected)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=AGENT_CONSOLE_REQUIRE_ALL ${ARGN} ${PROBE}
        RESULT_VARIABLE code OUTPUT_VARIABLE output ERROR_VARIABLE output)
    # ctest's order: a match of SKIP_REGULAR_EXPRESSION is Skipped whatever the exit code, then the code decides.
    if(output MATCHES "${SKIPPED}")
        set(got Skipped)
    elseif(code EQUAL 0)
        set(got Passed)
    else()
        set(got Failed)
    endif()
    if(NOT got STREQUAL expected)
        set(problems "${problems}\n[${ARGN}] ctest would say ${got}, not ${expected}:\n${output}" PARENT_SCOPE)
    endif()
    set(output "${output}" PARENT_SCOPE)
endfunction()

check(Passed)
check(Skipped SKIPPROBE_MISSING=1)
check(Failed SKIPPROBE_MISSING=1 AGENT_CONSOLE_REQUIRE_ALL=1)
if(NOT output MATCHES "the probe's dependency is missing \\(AGENT_CONSOLE_REQUIRE_ALL=1")
    set(problems "${problems}\nthe failure does not say what is missing and why it fails:\n${output}")
endif()
check(Failed SKIPPROBE_MISSING=1 SKIPPROBE_FAILS=1)

if(problems)
    message(FATAL_ERROR "${problems}")
endif()
message(STATUS "a missing dependency is Skipped, Failed with AGENT_CONSOLE_REQUIRE_ALL=1; a failure is Failed")
