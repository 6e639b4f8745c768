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
