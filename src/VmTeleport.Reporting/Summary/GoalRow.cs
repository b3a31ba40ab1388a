namespace VmTeleport.Reporting.Summary;

/// <summary>
/// The goals of VM Teleport in automatic mode (method `vmteleport`) in one scenario of one source
/// at one rate, each a <see cref="GoalRatio"/> of medians (docs/report.md, "Goals").
/// </summary>
public sealed record GoalRow(
    string Source,
    string Rate,
    string Scenario,
    GoalRatio WireToLowerBound,
    GoalRatio WireToBestAnchor,
    string? BestAnchor,
    GoalRatio TimeToRsync,
    GoalRatio TimeToBestForced,
    GoalRatio AutoTimeToRsync,
    DecisionSummary? Decision)
{
    public const double WireToLowerBoundGoal = 1.10;
    public const double WireToBestAnchorGoal = 0.5;
    public const double TimeToRsyncGoal = 0.2;
    public const double TimeToBestForcedGoal = 1.10;
    public const double AutoTimeToRsyncGoal = 1.05;

    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<GoalRatio> Ratios => [WireToLowerBound, WireToBestAnchor, TimeToRsync, TimeToBestForced, AutoTimeToRsync];
}
