# flowdistill_add_plugin(<name> [SOURCES] src... [LINK_LIBRARIES lib...])
#
# Builds the plugin library fd_<name> (a loadable module that exports only its descriptor) and
# installs it where `flowdistill` looks for plugins. Used by first-party plugins and, through
# find_package(flowdistill), by plugins built out of tree.
function(flowdistill_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LINK_LIBRARIES")
  set(target fd_${name})
  add_library(${target} MODULE ${arg_SOURCES} ${arg_UNPARSED_ARGUMENTS})
  target_link_libraries(${target} PRIVATE flowdistill::sdk ${arg_LINK_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED FLOWDISTILL_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${FLOWDISTILL_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT DEFINED FLOWDISTILL_PLUGIN_INSTALL_DIR)
    set(FLOWDISTILL_PLUGIN_INSTALL_DIR lib/flowdistill/plugins)
  endif()
  install(TARGETS ${target} LIBRARY DESTINATION ${FLOWDISTILL_PLUGIN_INSTALL_DIR})
endfunction()

# flowdistill_plugin_library(<target> src...)
#
# A static library holding a plugin's logic, so its tests can link it without the plugin module.
# It is built position-independent and with hidden symbols, like the module it is linked into.
function(flowdistill_plugin_library target)
  add_library(${target} STATIC ${ARGN})
  target_link_libraries(${target} PUBLIC flowdistill::sdk)
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
