// swift-tools-version: 6.2
import PackageDescription

/// sf-agent: the entrypoint of a Setup-Factory runner container.
///
/// One module per stage of a job; `Pipeline` composes them and the
/// `sf-agent` executable puts a command line on top. C interop lives in the
/// small C targets at the bottom of the graph (libgit2, libarchive, libzstd,
/// libcurl and the agent's own C).
let package = Package(
    name: "sf-agent",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sf-agent", targets: ["sf-agent"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // C interop.
        // libgit2's, libarchive's and libcurl's headers; the libraries are opened on first use (lazy_library.h).
        .target(name: "CLazyLibrary"),
        .target(name: "CGit2", dependencies: ["CLazyLibrary"]),
        .target(name: "CArchive", dependencies: ["CLazyLibrary"]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .target(name: "CCurl", dependencies: ["CLazyLibrary"]),
        .target(name: "CAgentSupport"),

        // Shared POSIX vocabulary: errors with errno, files, time.
        .target(
            name: "AgentSystem",
            dependencies: ["CAgentSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // The configuration keys by name: what the stages cite in messages and rules, without the loader.
        .target(name: "ConfigKeys"),

        // Stages.
        .target(name: "AgentConfig", dependencies: ["ConfigKeys", "AgentSystem"]),
        .target(name: "JobInput", dependencies: ["AgentSystem"]),
        .target(name: "Policy", dependencies: ["ConfigKeys", "AgentSystem"]),
        .target(name: "GitSource", dependencies: ["CGit2", "ConfigKeys", "AgentSystem"]),
        .target(name: "Secrets", dependencies: ["ConfigKeys", "AgentSystem"]),
        .target(name: "OutputCapture", dependencies: ["ConfigKeys", "AgentSystem", "Secrets"]),
        .target(
            name: "Launch", dependencies: ["CAgentSupport", "ConfigKeys", "AgentSystem", "JobInput", "OutputCapture"]),
        .target(
            name: "Artifacts",
            dependencies: ["CArchive", "CZstd", "CAgentSupport", "ConfigKeys", "AgentSystem", "Secrets"]
        ),
        .target(name: "Report", dependencies: ["ConfigKeys", "AgentSystem"]),
        .target(name: "ReportDelivery", dependencies: ["CCurl", "ConfigKeys", "AgentSystem", "Report"]),
        .target(
            name: "Pipeline",
            dependencies: [
                "ConfigKeys", "AgentConfig", "JobInput", "Policy", "GitSource", "Launch",
                "OutputCapture", "Artifacts", "Report", "Secrets", "ReportDelivery",
            ]
        ),

        // The command line.
        .executableTarget(
            name: "sf-agent",
            dependencies: [
                "Pipeline", "ConfigKeys", "GitSource", "Artifacts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests mirror the stages; PipelineTests drive the stages with fakes;
        // EndToEndTests drive the built binary.
        .testTarget(name: "AgentSystemTests", dependencies: ["AgentSystem", "TestSupport"]),
        .testTarget(name: "AgentConfigTests", dependencies: ["AgentConfig", "ConfigKeys", "TestSupport"]),
        .testTarget(name: "JobInputTests", dependencies: ["JobInput", "TestSupport"]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "ConfigKeys", "TestSupport"]),
        .testTarget(name: "GitSourceTests", dependencies: ["GitSource", "ConfigKeys", "TestSupport"]),
        .testTarget(name: "LaunchTests", dependencies: ["Launch", "ConfigKeys", "TestSupport"]),
        .testTarget(name: "OutputCaptureTests", dependencies: ["OutputCapture", "Secrets", "TestSupport"]),
        .testTarget(name: "SecretsTests", dependencies: ["Secrets", "TestSupport"]),
        .testTarget(name: "ArtifactsTests", dependencies: ["Artifacts", "ConfigKeys", "Secrets", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "ConfigKeys", "TestSupport"]),
        .testTarget(name: "ReportDeliveryTests", dependencies: ["ReportDelivery", "Report", "TestSupport"]),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "AgentConfig", "AgentSystem", "Artifacts", "ConfigKeys", "GitSource", "JobInput", "Launch",
                "Policy",
                "Report", "Secrets", "TestSupport",
            ]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["AgentSystem", "TestSupport"]),

        // What every test target shares: temporary folders, a process runner, real servers, `.requiresRoot`.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
