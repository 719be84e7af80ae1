# Example PowerShell job: -Host and -Port, and a switch.
param(
    [Parameter(Mandatory = $true)][string]$Host,
    [int]$Port = 443,
    [switch]$DryRun
)
Write-Output "Deploying web to ${Host}:${Port} (dry run: $DryRun)"
Set-Content -Path (Join-Path $env:SF_ARTIFACTS_DIR "web.txt") -Value "${Host}:${Port}"
