from typing import Annotated, Any, ClassVar, Dict, List, Literal, Optional, Set, Tuple, TypedDict, Union
class Cat0(str, enum.Enum):
    TOTAL_AMOUNT = ...
@pydantic.dataclasses.dataclass
class Money2:
    schema: Optional[Union[Cat0, list[conint(ge=0, le=10)]]] = []
