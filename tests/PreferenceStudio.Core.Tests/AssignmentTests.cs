using PreferenceStudio.Core.Tasks;
using static PreferenceStudio.Core.Tests.Builders;

namespace PreferenceStudio.Core.Tests;

public class AssignmentTests
{
    private static Assignment Lease() => new(taskId: 1, "ann-1", slot: 1, T0, TimeSpan.FromMinutes(30));

    [Fact]
    public void Expire_BeforeTheLeaseRunsOut_IsRefused()
    {
        var lease = Lease();
        lease.IsLeaseExpired(T0.AddMinutes(29)).ShouldBeFalse();
        Should.Throw<DomainException>(() => lease.Expire(T0.AddMinutes(29)));
        lease.State.ShouldBe(AssignmentState.Active);
    }

    [Fact]
    public void Expire_AfterTheLeaseRanOut_ReturnsTheSlot()
    {
        var lease = Lease();
        lease.IsLeaseExpired(T0.AddMinutes(30)).ShouldBeTrue();
        lease.Expire(T0.AddMinutes(31));
        lease.State.ShouldBe(AssignmentState.Expired);
        lease.ClosedAt.ShouldBe(T0.AddMinutes(31));
    }

    [Fact]
    public void Submit_AfterExpiry_IsAllowedSoLateWorkIsNotLost()
    {
        var lease = Lease();
        lease.Expire(T0.AddHours(1));
        lease.Submit(T0.AddHours(2));
        lease.State.ShouldBe(AssignmentState.Submitted);
    }

    [Fact]
    public void MoveToSlot_ActiveLease_IsRefused()
    {
        var lease = Lease();
        Should.Throw<DomainException>(() => lease.MoveToSlot(2));
        lease.Slot.ShouldBe(1);
    }

    [Fact]
    public void MoveToSlot_ExpiredLease_TakesTheSlot()
    {
        var lease = Lease();
        lease.Expire(T0.AddMinutes(31));
        lease.MoveToSlot(2);
        lease.Slot.ShouldBe(2);
    }

    [Fact]
    public void Submit_Twice_IsRefused()
    {
        var lease = Lease();
        lease.Submit(T0.AddMinutes(1));
        Should.Throw<DomainException>(() => lease.Submit(T0.AddMinutes(2)));
    }

    [Fact]
    public void Skip_SubmittedLease_IsRefused()
    {
        var lease = Lease();
        lease.Submit(T0.AddMinutes(1));
        Should.Throw<DomainException>(() => lease.Skip("bored", T0.AddMinutes(2)));
    }

    [Fact]
    public void Skip_ActiveLease_KeepsTheReason()
    {
        var lease = Lease();
        lease.Skip("  not my language ", T0.AddMinutes(1));
        lease.State.ShouldBe(AssignmentState.Skipped);
        lease.SkipReason.ShouldBe("not my language");
    }

    [Fact]
    public void Renew_ExpiredLease_IsRefused()
    {
        var lease = Lease();
        lease.Expire(T0.AddHours(1));
        Should.Throw<DomainException>(() => lease.Renew(T0.AddHours(1), TimeSpan.FromMinutes(30)));
    }
}
