import AgentSystem
import Foundation
import JobInput
import Report
import Testing

@testable import Pipeline

/// `JobPipeline.run` with fake stages: the order of the stages, the plan the
/// launch gets, and the workspace and secrets folder removed after every
/// failure that follows their creation.
@Suite struct PipelineStageTests {
    @Test func stagesRunInOrderAndTheLaunchGetsThePlanCheckPrints() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let log = StageLog()
        let stages = FakeStages(world: world, log: log)
        let completion = world.pipeline.run(environment: world.environment("order"), stages: stages)

        #expect(log.calls == ["secrets", "policy", "source", "stop?", "plan", "stop?", "expose", "launch", "collect"])
        #expect(log.workspaceAtLaunch == true, "the workspace is made before the launch")
        #expect(log.secretsAtLaunch == true, "the secrets are exposed before the launch")
        #expect(completion.result.status == .succeeded)
        #expect(completion.result.attempt == 1)
        #expect(completion.resultFile == world.jobFolder("order") + "/result.json")
        #expect(try world.json(world.jobFolder("order") + "/result.json")["status"] as? String == "succeeded")

        // What `check` prints is what was launched, secrets folder rule included.
        let job = try JobRequest(environment: world.environment("order"))
        let checked = try world.pipeline.plan(job, secrets: try stages.loadSecrets(), stages: stages)
        let launched = try #require(log.launchedPlan)
        #expect(launched == checked)
        #expect(launched.sandbox.rules.contains { $0.path == world.secretsFolder("order") })
        #expect(launched.rendered().contains("landlock     rule \(world.secretsFolder("order")) (read)"))
        #expect(launched.rendered().contains("secrets      files in \(world.secretsFolder("order")) (SF_SECRETS_DIR)"))

        #expect(!world.exists(world.workDirectory("order")), "the workspace is removed after success")
        #expect(!world.exists(world.secretsFolder("order")), "the secrets folder is removed after success")
    }

    struct Case: CustomStringConvertible, Sendable {
        var point: FailurePoint
        var status: JobStatus
        var code: String
        /// The last stage called.
        var last: String
        /// Whether the workspace was made (and so had to be removed).
        var created: Bool
        var description: String { point.rawValue }
    }

    static let cases: [Case] = [
        Case(point: .secrets, status: .error, code: "config_error", last: "secrets", created: false),
        Case(point: .policy, status: .rejected, code: "policy_violation", last: "policy", created: false),
        Case(point: .source, status: .error, code: "source_error", last: "source", created: false),
        Case(point: .plan, status: .rejected, code: "script_not_found", last: "plan", created: false),
        Case(point: .stopBeforeLaunch, status: .cancelled, code: "cancelled", last: "stop?", created: false),
        Case(point: .expose, status: .error, code: "output_error", last: "expose", created: true),
        Case(point: .launch, status: .error, code: "launch_error", last: "launch", created: true),
        Case(point: .timeout, status: .timedOut, code: "timed_out", last: "collect", created: true),
        Case(point: .cancel, status: .cancelled, code: "cancelled", last: "collect", created: true),
        Case(point: .artifactsTooBig, status: .error, code: "artifacts_rejected", last: "collect", created: true),
        Case(point: .artifactSecret, status: .error, code: "artifacts_rejected", last: "collect", created: true),
        Case(point: .outputFull, status: .error, code: "output_error", last: "collect", created: true),
        Case(point: .provenance, status: .error, code: "output_error", last: "collect", created: true),
    ]

    @Test(arguments: cases)
    func theWorkspaceAndSecretsFolderNeverOutliveTheJob(_ failure: Case) throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let log = StageLog()
        let jobID = "fail-\(failure.point)"
        let completion = world.pipeline.run(
            environment: world.environment(jobID), stages: FakeStages(world: world, log: log, failing: failure.point))

        #expect(log.calls.last == failure.last, "\(log.calls)")
        #expect(completion.result.status == failure.status)
        #expect(
            completion.result.error?.code.rawValue == failure.code, "\(String(describing: completion.result.error))")
        let result = try world.json(world.jobFolder(jobID) + "/result.json")
        #expect(result["status"] as? String == failure.status.rawValue)
        #expect(result["attempt"] as? Int == 1)
        #expect(!world.exists(world.workDirectory(jobID)), "the work directory (with the leaked secret) is removed")
        #expect(!world.exists(world.secretsFolder(jobID)), "the secrets folder is removed")
        #expect(world.exists(world.work) == failure.created, "the workspace was made only after the plan")
        if failure.point == .provenance {
            #expect(result["artifacts"] is [String: Any], "the published archive is still reported")
        }
    }

    @Test func aCancelledRunStillArchivesAndReports() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let log = StageLog()
        let completion = world.pipeline.run(
            environment: world.environment("stopped"), stages: FakeStages(world: world, log: log, failing: .cancel))
        #expect(completion.result.agentExitCode == 125)
        #expect(completion.result.artifacts?.file == "artifacts.tar.gz")
        #expect(completion.result.sandbox != nil, "the script ran, so its sandbox is reported")
    }

    @Test func anInvalidJobIsAnAttemptWithItsOwnResult() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let log = StageLog()
        var environment = world.environment("bad-params")
        environment["PARAMETERS"] = "[1]"
        let completion = world.pipeline.run(environment: environment, stages: FakeStages(world: world, log: log))
        #expect(log.calls.isEmpty)
        #expect(completion.result.status == .rejected)
        #expect(completion.result.attempt == 1)
        #expect(completion.resultFile == world.jobFolder("bad-params") + "/result.json")
    }

    @Test func noValidJobIDMeansNoFolderAndNoResultPath() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let completion = world.pipeline.run(
            environment: ["JOB_ID": "../escape", "SCRIPT_ID": "hello"],
            stages: FakeStages(world: world, log: StageLog()))
        #expect(completion.result.agentExitCode == 77)
        #expect(completion.folder == nil)
        #expect(completion.resultFile == nil)
        #expect(!world.exists(world.output))
    }
}
