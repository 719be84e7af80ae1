/// The pure half of `sf-agent replay`: whether the configuration still
/// matches the recorded run, and how a replay compares with the original.
package enum ReplayComparison {
    /// The configuration keys that differ, as sentences (`run.timeout:
    /// recorded \`60s\`, now \`120s\``); empty when the run can be repeated.
    package static func configurationDifferences(recorded: [String: String], current: [String: String]) -> [String] {
        var sentences: [String] = []
        for key in Set(recorded.keys).union(current.keys).sorted() where recorded[key] != current[key] {
            sentences.append(
                "\(key): recorded `\(recorded[key] ?? "(not recorded)")`, now `\(current[key] ?? "(not a recorded key)")`"
            )
        }
        return sentences
    }

    /// How a replay came out against the original.
    package struct Outcome: Sendable, Equatable {
        /// The archive files have the same bytes.
        package var identicalArchive: Bool
        /// Paths whose type, size, mode, digest or target differ, or that only one side has, with why.
        package var differingFiles: [String]
        package var originalStatus: String
        package var replayStatus: String
        package var originalExitCode: Int?
        package var replayExitCode: Int?

        package init(
            identicalArchive: Bool, differingFiles: [String], originalStatus: String, replayStatus: String,
            originalExitCode: Int?, replayExitCode: Int?
        ) {
            self.identicalArchive = identicalArchive
            self.differingFiles = differingFiles
            self.originalStatus = originalStatus
            self.replayStatus = replayStatus
            self.originalExitCode = originalExitCode
            self.replayExitCode = replayExitCode
        }

        package var sameStatus: Bool { originalStatus == replayStatus }
        package var sameExitCode: Bool { originalExitCode == replayExitCode }
        /// Identical artifacts, the same status and exit code.
        package var reproduced: Bool { identicalArchive && differingFiles.isEmpty && sameStatus && sameExitCode }

        /// The lines `sf-agent replay` prints.
        package var lines: [String] {
            var lines: [String] = []
            if identicalArchive && differingFiles.isEmpty {
                lines.append("reproduced: identical artifacts")
            } else if differingFiles.isEmpty {
                lines.append("artifacts differ: the archives' bytes differ though every entry matches")
            } else {
                lines.append("artifacts differ in \(differingFiles.count) file(s):")
                lines += differingFiles.map { "  \($0)" }
            }
            lines.append("status: \(replayStatus) (\(sameStatus ? "same" : "was \(originalStatus)"))")
            let code = { (value: Int?) in value.map(String.init) ?? "none" }
            lines.append(
                "exit code: \(code(replayExitCode)) (\(sameExitCode ? "same" : "was \(code(originalExitCode))"))")
            return lines
        }
    }

    /// Compares the manifests entry by entry (by path).
    package static func differingFiles(original: [RecordedFiles.Manifest.Entry], replay: [RecordedFiles.Manifest.Entry])
        -> [String]
    {
        let before = Dictionary(original.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(replay.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var found: [String] = []
        for path in Set(before.keys).union(after.keys).sorted() {
            switch (before[path], after[path]) {
            case (let old?, let new?) where old != new:
                var what: [String] = []
                if old.type != new.type { what.append("type \(old.type) → \(new.type)") }
                if old.sha256 != new.sha256 { what.append("SHA-256 \(old.sha256 ?? "none") → \(new.sha256 ?? "none")") }
                if old.size != new.size { what.append("size \(old.size) → \(new.size)") }
                if old.mode != new.mode { what.append("mode \(old.mode) → \(new.mode)") }
                if old.target != new.target { what.append("target \(old.target ?? "none") → \(new.target ?? "none")") }
                found.append("\(path): " + what.joined(separator: ", "))
            case (_?, nil): found.append("\(path): only in the original")
            case (nil, _?): found.append("\(path): only in the replay")
            default: break
            }
        }
        return found
    }
}
