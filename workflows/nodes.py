"""Task nodes of the certification flow: permission by role, and a split with one task per juror."""

from viewflow.workflow import nodes
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError


class HumanTask(nodes.View):
    """A task done on one of our own pages by whoever the rule allows.

    `rule` names a django-rules permission tested against the application. Tasks with a fixed
    owner (the juror's) are executed only by that owner. Pages are rendered by the project's own
    views, looked up by node name, so the flow carries no view.
    """

    def __init__(self, rule: str | None = None, **kwargs):
        super().__init__(view=None, **kwargs)
        self.rule = rule

    def application_of(self, task):
        return task.process.coerced.application

    def can_assign(self, user, task) -> bool:
        if task.owner_id or user is None or not user.is_authenticated or not self.rule:
            return False
        return user.has_perm(self.rule, self.application_of(task))

    def can_execute(self, user, task) -> bool:
        # The owner must still hold the role: a juror whose term ended cannot finish scoring.
        if not (task.owner_id and user is not None and task.owner_id == user.pk):
            return False
        return not self.rule or user.has_perm(self.rule, self.application_of(task))


class PerItemSplitActivation(nodes.SplitActivation):
    @Activation.status.super()
    def activate(self):
        for node, _cond, _data in self.flow_task._branches:
            for data in self.flow_task.data_source(self):
                self.next_tasks.append((node, data))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No branch to start at {self.flow_task.name}")


class PerItemSplit(nodes.Split):
    """Parallel split with one branch per item of a data source (one task per juror).

    The open-source viewflow's Split takes no data source; each branch created here gets its
    own token and `task.data`, and a Join after it waits for all of them.
    """

    activation_class = PerItemSplitActivation

    def __init__(self, data_source, **kwargs):
        super().__init__(**kwargs)
        self._data_source = data_source

    def data_source(self, activation):
        return self._data_source(activation)
