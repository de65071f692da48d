"""The environment Lambda gives a function's process, for one function, runtime and architecture.

https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
The image's own ENV (PATH, LD_LIBRARY_PATH, PYTHONPATH, LANG, ...) stays as the image sets it.
"""

from __future__ import annotations

from collections.abc import Mapping

from lambda_layers.layer.functions import FunctionSpec
from lambda_layers.platform.facts import Architecture, Runtime, facts

REGION = "us-east-1"
ACCOUNT = "123456789012"
# Lambda's own credentials variables always exist; here they hold moto's dummy keys (never AWS).
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def function_arn(function: FunctionSpec) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function.name}"


def lambda_environment(
    *,
    function: FunctionSpec,
    runtime: Runtime,
    architecture: Architecture,
    services: Mapping[str, str],
) -> dict[str, str]:
    """Lambda's reserved variables, then the function's declared ones, then the service endpoints.

    `AWS_LAMBDA_RUNTIME_API` is set by the in-container Runtime API (it picks its port).
    """
    reserved = {
        "_HANDLER": function.handler,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime.name}",
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": f"local/[$LATEST]{architecture.value}",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "LAMBDA_TASK_ROOT": facts().paths.task_root,
        "LAMBDA_RUNTIME_DIR": facts().paths.runtime_dir,
        **DUMMY_CREDENTIALS,
    }
    return {**reserved, **function.environment, **services}
