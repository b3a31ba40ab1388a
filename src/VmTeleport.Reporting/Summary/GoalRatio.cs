namespace VmTeleport.Reporting.Summary;

/// <summary>
/// One goal of one scenario: a ratio of two medians against its ceiling. <see cref="Value"/> is
/// null when either median is missing; <see cref="Met"/> is null then, and also when the goal
/// does not apply (<see cref="Judged"/> false: the time goal away from 10 MB/s).
/// </summary>
public sealed record GoalRatio(double? Numerator, double? Denominator, double Goal, bool Judged = true)
{
    public double? Value => Numerator is double n && Denominator is double d && d > 0 ? n / d : null;

    public bool? Met => Judged && Value is double v ? v <= Goal : null;
}
