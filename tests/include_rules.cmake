# The one checker behind the "include rules" ctests (check_core_includes.cmake,
# check_viewer_app_includes.cmake): fails naming every file and line that breaks a rule.

# check_lines(WHAT SELECT PATTERN GLOB...): among the lines matching SELECT of the files the globs
# find, those also matching PATTERN break the rule WHAT.
function(check_lines what select pattern)
  file(GLOB_RECURSE files ${ARGN})
  set(bad "")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "${select}")
    foreach(line IN LISTS lines)
      if(line MATCHES "${pattern}")
        string(APPEND bad "${f}: ${line}\n")
      endif()
    endforeach()
  endforeach()
  if(bad)
    message(FATAL_ERROR "${what}; these lines break the rule:\n${bad}")
  endif()
  list(LENGTH files n)
  message(STATUS "${what}: ${n} files checked, ok")
endfunction()

# check_includes(WHAT PATTERN GLOB...): no #include matching PATTERN.
function(check_includes what pattern)
  check_lines("${what}" "^[ \t]*#[ \t]*include" "${pattern}" ${ARGN})
endfunction()
