# Packaging: what `cmake --install` puts where, and the packages CPack builds from it.
#   Linux: a .deb (Qt dependencies computed by dpkg-shlibdeps) and a .tar.gz, both with
#          bin/agent-console, bin/widget-server, the .desktop entry, the hicolor icon, AppStream
#          metainfo and man pages (resources/CMakeLists.txt), and translations when there are any.
#   Windows: an NSIS installer; macOS: a DragNDrop .dmg holding agent-console.app. Both carry their
#          own Qt, deployed into the install tree by windeployqt / macdeployqt.
#   Every platform registers the agent-console:// link scheme for the console: the desktop entry's
#          x-scheme-handler/agent-console, the installer's URL protocol in the registry, the bundle's
#          CFBundleURLTypes.
# `cmake --build build --target package` builds them all; `cpack -G DEB` in the build dir only the .deb.
# Tests, benchmarks and fuzz targets have no install() rule, so they are never packaged
# (tests/package checks the exact file list).

set(AGENT_CONSOLE_HOMEPAGE "https://github.com/agentconsole/agent-console"
    CACHE STRING "Project homepage, shown by package managers")
set(AGENT_CONSOLE_MAINTAINER "The Agent Console developers <agent-console@users.noreply.github.com>"
    CACHE STRING "Name <email> of the package maintainer")

# Translations: whoever builds .qm files (qt_add_translations(... QM_FILES_OUTPUT_VARIABLE qm_files))
# appends them with
#     set_property(GLOBAL APPEND PROPERTY AGENT_CONSOLE_QM_FILES ${qm_files})
# and they are installed into share/agent-console/translations (the app finds them at
# QCoreApplication::applicationDirPath() + "/../share/agent-console/translations"). .qm files that
# qt_add_translations embeds as resources need nothing here.
get_property(agent_console_qm_files GLOBAL PROPERTY AGENT_CONSOLE_QM_FILES)
if(agent_console_qm_files)
    install(FILES ${agent_console_qm_files} DESTINATION ${CMAKE_INSTALL_DATADIR}/agent-console/translations)
endif()

# The app icon where Windows and macOS look for it: a resource in the .exe (Explorer, the taskbar, the
# installer), an .icns in the bundle (Finder, the Dock). Both are rendered from the SVG (resources/).
set(agent_console_icons ${PROJECT_SOURCE_DIR}/resources/icons)
if(WIN32)
    file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/agent-console-icon.rc
        CONTENT "IDI_ICON1 ICON \"${agent_console_icons}/agent-console.ico\"\n")
    target_sources(agent-console PRIVATE ${CMAKE_BINARY_DIR}/agent-console-icon.rc)
    set(CPACK_NSIS_MUI_ICON ${agent_console_icons}/agent-console.ico)
    set(CPACK_NSIS_MUI_UNIICON ${agent_console_icons}/agent-console.ico)
endif()
if(APPLE)
    target_sources(agent-console PRIVATE ${agent_console_icons}/agent-console.icns)
    set_source_files_properties(${agent_console_icons}/agent-console.icns TARGET_DIRECTORY agent-console
        PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    set_target_properties(agent-console PROPERTIES MACOSX_BUNDLE_ICON_FILE agent-console.icns)
    # CMake's Info.plist with CFBundleURLTypes: macOS hands agent-console:// links to the bundle (as a
    # QFileOpenEvent, which main() passes on like a link in argv).
    set_target_properties(agent-console PROPERTIES
        MACOSX_BUNDLE_INFO_PLIST ${PROJECT_SOURCE_DIR}/cmake/MacOSXBundleInfo.plist.in)
endif()

# Windows and macOS packages bring their own Qt: windeployqt / macdeployqt run on the install tree
# (and so inside CPack's staging folder), through Qt's deploy support, as qt_generate_deploy_app_script()
# does, with widget-server as a second executable: its references to Qt and other libraries are
# rewritten to the deployed copies too (both in bin/ on Windows; both in the bundle on macOS).
if(APPLE)
    set(agent_console_deploy [[
qt6_deploy_runtime_dependencies(
    EXECUTABLE agent-console.app
    ADDITIONAL_EXECUTABLES agent-console.app/Contents/MacOS/widget-server)
]])
elseif(WIN32)
    set(agent_console_deploy [[
qt6_deploy_runtime_dependencies(
    EXECUTABLE ${QT_DEPLOY_BIN_DIR}/agent-console.exe
    ADDITIONAL_EXECUTABLES ${QT_DEPLOY_BIN_DIR}/widget-server.exe
    GENERATE_QT_CONF)
]])
endif()
if(WIN32 OR APPLE)
    file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/deploy-agent-console.cmake
        CONTENT "include(\"${QT_DEPLOY_SUPPORT}\")\n${agent_console_deploy}")
    install(SCRIPT ${CMAKE_BINARY_DIR}/deploy-agent-console.cmake)
endif()
if(WIN32)
    install(CODE [[
        # windeployqt copies Qt's DLLs only. The other libraries the executables load (QtKeychain,
        # rabbitmq-c, ...) are found on PATH, as the build found them, and copied next to them.
        set(bin "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/bin")
        file(GET_RUNTIME_DEPENDENCIES
            EXECUTABLES "${bin}/agent-console.exe" "${bin}/widget-server.exe"
            RESOLVED_DEPENDENCIES_VAR resolved
            UNRESOLVED_DEPENDENCIES_VAR unresolved
            DIRECTORIES $ENV{PATH}
            PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-"
            POST_EXCLUDE_REGEXES "[Ss]ystem32" "Qt6[A-Za-z]*\\.dll$")
        foreach(library IN LISTS resolved)
            get_filename_component(name "${library}" NAME)
            if(NOT EXISTS "${bin}/${name}")
                message(STATUS "Deploying ${library}")
                file(COPY "${library}" DESTINATION "${bin}")
            endif()
        endforeach()
        if(unresolved)
            message(WARNING "Not found on PATH, not deployed: ${unresolved}")
        endif()
    ]])
endif()
if(APPLE)
    install(CODE [[
        # Apple silicon runs signed code only, and install_name_tool and macdeployqt have changed the
        # binaries: sign the deployed bundle again, ad hoc (a public release signs with its own identity).
        execute_process(COMMAND codesign --force --deep --sign - "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/agent-console.app"
            COMMAND_ERROR_IS_FATAL ANY)
    ]])
endif()

set(CPACK_PACKAGE_NAME agent-console)
set(CPACK_PACKAGE_VENDOR "The Agent Console developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Desktop console for customer-support conversations")
# Lines under 80 columns: dpkg shows the description as it is written.
set(CPACK_PACKAGE_DESCRIPTION [[
Agent Console shows a customer conversation, sends the agent's replies and
shows the delivery state of every reply live: pending, sent, delivered, read,
or failed with a Retry button. Unsent replies survive a crash.
.
The package also contains widget-server, a reference backend speaking the
same REST and Socket.IO contract.]])
set(CPACK_PACKAGE_HOMEPAGE_URL ${AGENT_CONSOLE_HOMEPAGE})
set(CPACK_PACKAGE_CONTACT ${AGENT_CONSOLE_MAINTAINER})
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Agent Console")
set(CPACK_PACKAGE_EXECUTABLES agent-console "Agent Console")
# Release packages carry no debug info (RelWithDebInfo is the default build type).
set(CPACK_STRIP_FILES ON)
# agent-console-0.1.0-Linux-x86_64.tar.gz, agent-console-0.1.0-Windows-AMD64.exe, ...-Darwin-arm64.dmg
set(CPACK_PACKAGE_FILE_NAME "agent-console-${PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")

if(WIN32)
    set(CPACK_GENERATOR NSIS)
elseif(APPLE)
    set(CPACK_GENERATOR DragNDrop)
else()
    set(CPACK_GENERATOR DEB TGZ)
endif()

# Debian: agent-console_0.1.0_amd64.deb, installing under /usr.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${AGENT_CONSOLE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${AGENT_CONSOLE_HOMEPAGE})
# The libraries the binaries link (libqt6*, libc, ...) come from dpkg-shlibdeps. It cannot see the Qt
# plugins loaded at run time: the SQLite driver that keeps unsent replies (libqt6sql6-sqlite) and the
# SVG icon engine that draws every icon (libqt6svg6; nothing links libQt6Svg itself).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6")
# A Secret Service for the token in the keychain; the Wayland platform plugin on Wayland desktops.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring, qt6-wayland")
if(AGENT_CONSOLE_SANITIZE OR AGENT_CONSOLE_FUZZ)
    # A sanitizer build is tested, never released: its big binaries are packed fast rather than small.
    set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
else()
    set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
endif()

# Windows: an NSIS installer with a Start menu entry and an uninstaller.
set(CPACK_NSIS_PACKAGE_NAME "Agent Console")
set(CPACK_NSIS_DISPLAY_NAME "Agent Console ${PROJECT_VERSION}")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\agent-console.exe")
set(CPACK_NSIS_URL_INFO_ABOUT ${AGENT_CONSOLE_HOMEPAGE})
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# agent-console:// links open the console (a URL protocol, HKLM or HKCU as the installer runs); the
# uninstaller takes the registration away. Written as CPack's documentation asks for these commands:
# backslashes and double quotes escaped once more (CPack reads them back through its own config file).
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS [=[
WriteRegStr SHCTX 'Software\\Classes\\agent-console' '' 'URL:Agent Console link'
WriteRegStr SHCTX 'Software\\Classes\\agent-console' 'URL Protocol' ''
WriteRegStr SHCTX 'Software\\Classes\\agent-console\\DefaultIcon' '' '$INSTDIR\\bin\\agent-console.exe,0'
WriteRegStr SHCTX 'Software\\Classes\\agent-console\\shell\\open\\command' '' '\"$INSTDIR\\bin\\agent-console.exe\" -- \"%1\"'
]=])
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS [=[
DeleteRegKey SHCTX 'Software\\Classes\\agent-console'
]=])

# macOS: a .dmg with the bundle and (CPack's default) a link to /Applications to drag it onto.
set(CPACK_DMG_VOLUME_NAME "Agent Console")

include(CPack)
