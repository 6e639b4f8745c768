#pragma once
// Everything a plugin author needs.
#include <flowdistill/config_spec.hpp>
#include <flowdistill/context.hpp>
#include <flowdistill/errors.hpp>
#include <flowdistill/plugin.hpp>
#include <flowdistill/record.hpp>
#include <flowdistill/services.hpp>
#include <flowdistill/stage.hpp>
#include <flowdistill/version.hpp>
